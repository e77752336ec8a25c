package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/** Nesterov momentum (cs231n form): {@code v' = mu v - lr dw; w += -mu v + (1 + mu) v'}. */
public final class Nesterov extends UpdateRule {
    private final double mu;

    public Nesterov(double mu) {
        this.mu = mu;
    }

    @Override
    public double apply(Param p, double lr) {
        double[] v = state(p, 1).slots[0];
        double[] w = p.value().data;
        double[] g = p.grad().data;
        double su = 0;
        double sw = 0;
        for (int i = 0; i < w.length; i++) {
            double prev = v[i];
            v[i] = mu * prev - lr * g[i];
            double delta = -mu * prev + (1 + mu) * v[i];
            sw += w[i] * w[i];
            su += delta * delta;
            w[i] += delta;
        }
        return ratio(su, sw);
    }

    @Override
    public String describe() {
        return "nesterov " + mu;
    }
}
