package org.babysitter.engine.gradcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.model.Net;
import org.ejml.data.DMatrixRMaj;

/**
 * The lecture's lesson on the step h as numbers to plot: the same entries checked at every h from 1e-1 down to 1e-10,
 * with 1-, 2- and 4-sided differences. On a log-log plot the errors fall with slopes 1, 2 and 4 (truncation) until
 * the loss's rounding takes over and they rise again as h shrinks: why centred differences win and why h must not be
 * too small. Entries whose steps cross a kink at a given h are left out at that h, as in the check itself.
 *
 * @param tensor the parameter, e.g. "W1"
 * @param rows   one per step, largest first
 */
public record StepSweep(String tensor, List<Row> rows) {
    public StepSweep {
        rows = List.copyOf(rows);
    }

    /** The largest relative error over the checked entries at one step, per difference; kinks: entries left out. */
    public record Row(double h, double oneSided, double centred, double fourSided, int kinks) {
        public double error(Difference d) {
            return switch (d) {
                case ONE_SIDED -> oneSided;
                case CENTERED -> centred;
                case FOUR_POINT -> fourSided;
            };
        }
    }

    /** Every power of ten from 1e-1 down to 1e-10. */
    public static List<Double> steps() {
        List<Double> hs = new ArrayList<>();
        for (int e = -1; e >= -10; e--) {
            hs.add(Double.parseDouble("1e" + e));
        }
        return hs;
    }

    /** One sweep per parameter tensor of the net, on rows x (labels), reg, up to {@code maxEntries} entries each. */
    public static List<StepSweep> run(Net net, DMatrixRMaj x, int[] labels, double reg, List<Double> hs, int maxEntries,
                                      long seed) {
        Map<String, List<Row>> byTensor = new LinkedHashMap<>();
        for (double h : hs) {
            for (TensorCheck t : GradientCheck.check(net, x, labels, reg, GradientCheck.Options.fixedStep(h, maxEntries, seed))) {
                byTensor.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(new Row(h, t.error(Difference.ONE_SIDED),
                        t.error(Difference.CENTERED), t.error(Difference.FOUR_POINT), t.nearKinks().size()));
            }
        }
        List<StepSweep> out = new ArrayList<>();
        byTensor.forEach((name, rows) -> out.add(new StepSweep(name, rows)));
        return out;
    }

    /** The sweep as a table: h, the three errors, the entries left out at kinks. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-6s %8s %10s %10s %10s  %s", tensor, "h", "1-sided", "2-sided", "4-sided", "kinks"));
        for (Row r : rows) {
            lines.add(String.format(Locale.ROOT, "%-6s %8s %10.2e %10.2e %10.2e  %d", "", Numbers.exact(r.h()), r.oneSided(),
                    r.centred(), r.fourSided(), r.kinks()));
        }
        return lines;
    }
}
