package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/** RMSProp: {@code c = d c + (1 - d) dw^2; w -= lr dw / (sqrt(c) + eps)}, decay d = 0.99, eps = 1e-8. */
public final class RmsProp extends UpdateRule {
    public static final double DECAY = 0.99;
    public static final double EPS = 1e-8;

    @Override
    public void apply(Param p, double lr, double reg, Stats stats) {
        double[] c = state(p, 1).slots[0];
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
                c[i] = DECAY * c[i] + (1 - DECAY) * gi * gi;
                double delta = -lr * gi / (Math.sqrt(c[i]) + EPS);
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
        return "rmsprop";
    }
}
