package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/** Vanilla SGD: {@code w -= lr * dw}. Stateless. */
public final class Sgd extends UpdateRule {
    @Override
    public double apply(Param p, double lr) {
        double[] w = p.value().data;
        double[] g = p.grad().data;
        double su = 0;
        double sw = 0;
        for (int i = 0; i < w.length; i++) {
            double delta = -lr * g[i];
            sw += w[i] * w[i];
            su += delta * delta;
            w[i] += delta;
        }
        return ratio(su, sw);
    }

    @Override
    public String describe() {
        return "sgd";
    }
}
