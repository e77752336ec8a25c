package org.babysitter.engine.gradcheck;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.babysitter.engine.model.FullyConnectedNet;
import org.ejml.data.DMatrixRMaj;

/**
 * Relative errors of every parameter tensor of a net under all three differences, the table the CLI and the
 * app show. The verdict reads the centred error the lecture's way.
 */
public record GradientCheckTable(double reg, double h, List<Row> rows) {
    public GradientCheckTable {
        rows = List.copyOf(rows);
    }

    /** One tensor: errors by difference. */
    public record Row(String name, int rows, int cols, int entriesChecked, Map<Difference, Double> errors) {
        public Row {
            errors = Map.copyOf(errors);
        }

        public double error(Difference d) {
            return errors.get(d);
        }
    }

    /** The lecture's reading of a relative error. */
    public static String verdict(double relError) {
        if (relError > 1e-2) {
            return "probably wrong";
        }
        if (relError > 1e-4) {
            return "uncomfortable";
        }
        if (relError > 1e-7) {
            return "ok with kinks";
        }
        return "good";
    }

    /** The largest centred error over all tensors. */
    public double worstCentered() {
        return rows.stream().mapToDouble(r -> r.error(Difference.CENTERED)).max().orElse(0);
    }

    public static GradientCheckTable compute(FullyConnectedNet net, DMatrixRMaj x, int[] labels, double reg, double h,
                                             int maxEntries, long seed) {
        Map<Difference, List<GradientCheck.ParamError>> byDiff = new EnumMap<>(Difference.class);
        for (Difference d : Difference.values()) {
            byDiff.put(d, GradientCheck.check(net, x, labels, reg, d, h, maxEntries, seed));
        }
        List<Row> rows = new ArrayList<>();
        List<GradientCheck.ParamError> centred = byDiff.get(Difference.CENTERED);
        for (int i = 0; i < centred.size(); i++) {
            Map<Difference, Double> errors = new EnumMap<>(Difference.class);
            for (Difference d : Difference.values()) {
                errors.put(d, byDiff.get(d).get(i).relativeError());
            }
            var p = net.params().get(i);
            rows.add(new Row(p.name(), p.value().numRows, p.value().numCols, centred.get(i).entriesChecked(), errors));
        }
        return new GradientCheckTable(reg, h, rows);
    }
}
