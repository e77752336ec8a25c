package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/**
 * SGD with momentum: {@code v = mu * v - lr * dw; w += v}. With mu = 0.9 the effective step is about
 * lr / (1 - mu) = 10 lr: learning rates do not carry over from plain SGD.
 */
public final class Momentum extends UpdateRule {
    private final double mu;

    public Momentum(double mu) {
        this.mu = mu;
    }

    @Override
    public void apply(Param p, double lr, double reg, Stats stats) {
        double[] v = state(p, 1).slots[0];
        double[] w = p.value().data;
        double[] g = p.gradBuffer().data;
        float[] gf = p.floatGradient();
        float[] f = mirror(p);
        double l2 = l2(p, reg);
        pass(p.size(), (from, to, sums, k) -> {
            double su = 0;
            double sw = 0;
            for (int i = from; i < to; i++) {
                v[i] = mu * v[i] - lr * ((gf != null ? gf[i] : g[i]) + l2 * w[i]);
                sw += w[i] * w[i];
                su += v[i] * v[i];
                w[i] += v[i];
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
        return "momentum " + mu;
    }
}
