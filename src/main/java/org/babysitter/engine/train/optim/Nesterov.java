package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/** Nesterov momentum (cs231n form): {@code v' = mu v - lr dw; w += -mu v + (1 + mu) v'}. */
public final class Nesterov extends UpdateRule {
    private final double mu;

    public Nesterov(double mu) {
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
                double prev = v[i];
                v[i] = mu * prev - lr * ((gf != null ? gf[i] : g[i]) + l2 * w[i]);
                double delta = -mu * prev + (1 + mu) * v[i];
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
        return "nesterov " + mu;
    }
}
