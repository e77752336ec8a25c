package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/** RMSProp: {@code c = d c + (1 - d) dw^2; w -= lr dw / (sqrt(c) + eps)}, decay d = 0.99, eps = 1e-8. */
public final class RmsProp extends UpdateRule {
    public static final double DECAY = 0.99;
    public static final double EPS = 1e-8;

    @Override
    public double apply(Param p, double lr) {
        double[] c = state(p, 1).slots[0];
        double[] w = p.value().data;
        double[] g = p.grad().data;
        double su = 0;
        double sw = 0;
        for (int i = 0; i < w.length; i++) {
            c[i] = DECAY * c[i] + (1 - DECAY) * g[i] * g[i];
            double delta = -lr * g[i] / (Math.sqrt(c[i]) + EPS);
            sw += w[i] * w[i];
            su += delta * delta;
            w[i] += delta;
        }
        return ratio(su, sw);
    }

    @Override
    public String describe() {
        return "rmsprop";
    }
}
