package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/** Vanilla SGD: {@code w -= lr * dw}. Stateless. */
public final class Sgd extends UpdateRule {
    @Override
    public void apply(Param p, double lr, double reg, Stats stats) {
        double[] w = p.value().data;
        double[] g = p.gradBuffer().data;
        float[] gf = p.floatGradient();
        float[] f = mirror(p);
        double l2 = l2(p, reg);
        pass(p.size(), (from, to, sums, k) -> {
            double su = 0;
            double sw = 0;
            for (int i = from; i < to; i++) {
                double delta = -lr * ((gf != null ? gf[i] : g[i]) + l2 * w[i]);
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
        return "sgd";
    }
}
