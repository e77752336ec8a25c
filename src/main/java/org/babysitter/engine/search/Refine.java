package org.babysitter.engine.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.babysitter.engine.Numbers;

/**
 * Coarse -> fine: the best trials of a stage, a narrower spec around them, and the lecture's worry, a warning when
 * the best trials sit at the edge of a range (there the best value may lie outside it: widen the range).
 */
public final class Refine {
    /** A value in the outer tenth of a range (in log10 for log ranges) sits at its edge. */
    static final double EDGE = 0.1;

    private Refine() {
    }

    /** The {@code k} trials of the best validation accuracy, best first (ties: lower index first). */
    public static List<TrialResult> top(List<TrialResult> results, int k) {
        List<TrialResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingDouble(TrialResult::best).reversed()
                .thenComparingInt(r -> r.trial().index()));
        return List.copyOf(sorted.subList(0, Math.min(k, sorted.size())));
    }

    /**
     * A spec like {@code spec} whose log ranges span the top {@code k} trials' values, widened by a tenth of the old
     * span (in log10) on each side, so that a best value at the edge can move out; other ranges are kept.
     */
    public static SearchSpec narrow(SearchSpec spec, List<TrialResult> results, int k) {
        List<TrialResult> best = top(results, k);
        if (best.isEmpty()) {
            throw new IllegalArgumentException("no finished trials to narrow the ranges around");
        }
        Map<Hyper, Dimension> ranges = new EnumMap<>(Hyper.class);
        ranges.putAll(spec.ranges());
        for (Map.Entry<Hyper, Dimension> e : spec.ranges().entrySet()) {
            if (e.getValue().scale() != Scale.LOG) {
                continue;
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (TrialResult r : best) {
                double v = Math.log10(r.trial().value(e.getKey()));
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            double pad = EDGE * (Math.log10(e.getValue().high()) - Math.log10(e.getValue().low()));
            ranges.put(e.getKey(), Dimension.log(threeDigits(Math.pow(10, lo - pad)), threeDigits(Math.pow(10, hi + pad))));
        }
        return spec.withRanges(ranges);
    }

    /** {@code x} to 3 significant digits: a range bound worth reading (the padding makes the rounding immaterial). */
    static double threeDigits(double x) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2e", x));
    }

    /**
     * One warning per continuous range in which at least half of the top {@code k} trials sit in the outer tenth, on
     * the same side: "lr: 3 of the top 5 trials sit at the upper edge of 1e-06:0.001:log (best 9.5e-04): widen the
     * range".
     */
    public static List<String> edgeWarnings(SearchSpec spec, List<TrialResult> results, int k) {
        List<TrialResult> best = top(results, k);
        List<String> out = new ArrayList<>();
        for (Hyper h : Hyper.values()) {
            Dimension d = spec.range(h);
            if (d == null || !d.continuous() || best.isEmpty()) {
                continue;
            }
            int low = 0;
            int high = 0;
            for (TrialResult r : best) {
                double p = d.position(r.trial().value(h));
                if (p <= EDGE) {
                    low++;
                } else if (p >= 1 - EDGE) {
                    high++;
                }
            }
            int need = (best.size() + 1) / 2;
            if (low >= need || high >= need) {
                out.add(String.format(Locale.ROOT, "%s: %d of the top %d trials sit at the %s edge of %s (best %s): widen the range",
                        h.key(), Math.max(low, high), best.size(), high >= need ? "upper" : "lower", d.describe(),
                        Numbers.exact(best.get(0).trial().value(h))));
            }
        }
        return out;
    }
}
