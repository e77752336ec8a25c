package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/**
 * Adam with bias correction: {@code m = b1 m + (1-b1) dw; v = b2 v + (1-b2) dw^2;
 * w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}, b1 = 0.9, b2 = 0.999, eps = 1e-8; t counts steps per param.
 */
public final class Adam extends UpdateRule {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;

    @Override
    public void apply(Param p, double lr, double reg, Stats stats) {
        State s = state(p, 2);
        double[] m = s.slots[0];
        double[] v = s.slots[1];
        long t = ++s.steps;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        double[] w = p.value().data;
        double[] g = p.gradBuffer().data;
        float[] gf = p.floatGradient();
        float[] f = mirror(p);
        double l2 = l2(p, reg);
        pass(p.size(), (from, to, sums, k) -> {
            double su = 0;
            double sw = 0;
            for (int i = from; i < to; i++) {
                double gi = (gf != null ? gf[i] : g[i]) + l2 * w[i];
                m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
                v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
                double delta = -lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS);
                sw += w[i] * w[i];
                su += delta * delta;
                w[i] += delta;
                if (f != null) {
                    f[i] = (float) w[i];
                }
            }
            sums[2 * k] = su;
            sums[2 * k + 1] = sw;
        }, stats);
        done(p);
    }

    @Override
    public String describe() {
        return "adam";
    }
}
