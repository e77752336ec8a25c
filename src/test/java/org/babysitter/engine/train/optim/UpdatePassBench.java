package org.babysitter.engine.train.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.model.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test (tagged "bench"): what one update pass of each rule costs on the first layer's weights
 * of the lecture's net, kept in float as under {@code openblas-f32} (W1 of H=50: 153,600 entries; of H=500:
 * 1,536,000), on one thread, the gradient coming from a float product as in training. Prints the median of
 * {@code bench.reps} (default 7) timings of {@code bench.steps} (default 200) steps, in ms per step, after the same
 * number of untimed steps. Run it with {@code ./mvnw test -Dtest=UpdatePassBench -Dbench.exclude=none}.
 */
@Tag("bench")
class UpdatePassBench {

    @Test
    void updatePass() {
        int steps = Integer.getInteger("bench.steps", 200);
        int reps = Integer.getInteger("bench.reps", 7);
        System.out.printf(Locale.ROOT, "%-10s %10s %12s%n", "rule", "entries", "ms / step");
        for (int n : new int[] {3072 * 50, 3072 * 500}) {
            for (UpdateRuleKind kind : UpdateRuleKind.values()) {
                Param p = Param.zeros("W1", 3072, n / 3072, true, true);
                double[] w = p.value().data;
                for (int i = 0; i < w.length; i++) {
                    w[i] = 1e-4 * Math.sin(i);
                }
                MirroredMatrix g = (MirroredMatrix) p.gradForProduct();
                float[] g0 = g.mirror();
                for (int i = 0; i < n; i++) {
                    g0[i] = (float) (1e-3 * Math.cos(i));
                }
                UpdateRule rule = kind.create(0.9);
                Param.StepStats stats = new Param.StepStats();
                double[] ms = new double[reps];
                for (int rep = -1; rep < reps; rep++) {
                    long t = System.nanoTime();
                    for (int k = 0; k < steps; k++) {
                        float[] gm = g.mirror();
                        gm[k % n] = (float) (1e-3 * Math.cos(k)); // the product wrote it: float only
                        g.markFloatOnly();
                        rule.apply(p, 1e-4, 1e-3, stats);
                    }
                    if (rep >= 0) {
                        ms[rep] = (System.nanoTime() - t) / 1e6 / steps;
                    }
                }
                Arrays.sort(ms);
                assertTrue(Double.isFinite(stats.ratio()) && stats.ratio() > 0, kind + ": the pass moved nothing");
                System.out.printf(Locale.ROOT, "%-10s %10d %12.3f%n", kind.label(), n, ms[reps / 2]);
            }
        }
    }
}
