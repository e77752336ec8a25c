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
    public double apply(Param p, double lr) {
        double[] v = state(p, 1).slots[0];
        double[] w = p.value().data;
        double[] g = p.grad().data;
        double su = 0;
        double sw = 0;
        for (int i = 0; i < w.length; i++) {
            v[i] = mu * v[i] - lr * g[i];
            sw += w[i] * w[i];
            su += v[i] * v[i];
            w[i] += v[i];
        }
        return ratio(su, sw);
    }

    @Override
    public String describe() {
        return "momentum " + mu;
    }
}
