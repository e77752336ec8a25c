package org.babysitter.engine.gradcheck;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.preprocess.PreparedData;
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

    /** The table as text lines: a header, then one row per tensor with the three errors and the verdict. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format(java.util.Locale.ROOT, "reg = %s", reg));
        out.add(String.format(java.util.Locale.ROOT, "%-10s %-11s %8s %11s %11s %11s  %s", "param", "shape", "entries",
                Difference.ONE_SIDED, Difference.CENTERED, Difference.FOUR_POINT, "verdict (2-sided)"));
        for (Row r : rows) {
            out.add(String.format(java.util.Locale.ROOT, "%-10s %-11s %8d %11.2e %11.2e %11.2e  %s", r.name(),
                    r.rows() + "x" + r.cols(), r.entriesChecked(), r.error(Difference.ONE_SIDED),
                    r.error(Difference.CENTERED), r.error(Difference.FOUR_POINT), verdict(r.error(Difference.CENTERED))));
        }
        return out;
    }

    /** The lecture's legend for reading the table. */
    public static final String LEGEND = "Relative error max|a-n| / max(1e-8, |a|+|n|): >1e-2 probably wrong, "
            + "1e-2..1e-4 uncomfortable, <1e-4 ok with kinks, <1e-7 good.";

    /** The largest centred error over all tensors. */
    public double worstCentered() {
        return rows.stream().mapToDouble(r -> r.error(Difference.CENTERED)).max().orElse(0);
    }

    /** Checks on the first {@code images} training images of a prepared data set. */
    public static GradientCheckTable compute(Net net, PreparedData data, int images, double reg, double h,
                                             int maxEntries, long seed) {
        ImageSet train = data.dataset().train().head(images);
        DMatrixRMaj x = new DMatrixRMaj(1, 1);
        data.preprocessor().rows(train, 0, train.size(), x);
        int[] y = new int[train.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = train.label(i);
        }
        return compute(net, x, y, reg, h, maxEntries, seed);
    }

    public static GradientCheckTable compute(Net net, DMatrixRMaj x, int[] labels, double reg, double h,
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
            rows.add(new Row(p.name(), p.rows(), p.cols(), centred.get(i).entriesChecked(), errors));
        }
        return new GradientCheckTable(reg, h, rows);
    }
}
