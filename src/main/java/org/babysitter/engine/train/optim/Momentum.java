package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.Vec;

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
    protected int slots() {
        return 1;
    }

    @Override
    protected Vec update(Param.Block b) {
        Vec v = b.slot(0);
        return v.scale(mu).add(-b.lr(), b.dw()); // v = mu * v - lr * dw; w += v
    }

    @Override
    public String describe() {
        return "momentum " + mu;
    }
}
