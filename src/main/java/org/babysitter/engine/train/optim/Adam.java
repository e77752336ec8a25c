package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.Vec;

/**
 * Adam with bias correction: {@code m = b1 m + (1-b1) dw; v = b2 v + (1-b2) dw^2;
 * w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}, b1 = 0.9, b2 = 0.999, eps = 1e-8; t counts steps per param.
 */
public final class Adam extends UpdateRule {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;

    @Override
    protected int slots() {
        return 2;
    }

    @Override
    protected Vec update(Param.Block b) {
        Vec m = b.slot(0);
        Vec v = b.slot(1);
        m.scale(BETA1).add(1 - BETA1, b.dw());       // m = b1 * m + (1 - b1) * dw
        v.scale(BETA2).addSquare(1 - BETA2, b.dw()); // v = b2 * v + (1 - b2) * dw^2
        double c1 = 1 - Math.pow(BETA1, b.t());
        double c2 = 1 - Math.pow(BETA2, b.t());
        return b.temp().setQuotient(-b.lr() / c1, m, v, 1 / c2, EPS); // w += -lr * (m / c1) / (sqrt(v / c2) + eps)
    }

    @Override
    public String describe() {
        return "adam";
    }
}
