package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.Vec;

/** Nesterov momentum (cs231n form): {@code v_prev = v; v = mu * v - lr * dw; w += -mu * v_prev + (1 + mu) * v}. */
public final class Nesterov extends UpdateRule {
    private final double mu;

    public Nesterov(double mu) {
        this.mu = mu;
    }

    @Override
    protected int slots() {
        return 1;
    }

    @Override
    protected Vec update(Param.Block b) {
        Vec v = b.slot(0);
        Vec step = b.temp().setScaled(-mu, v); // -mu * v_prev
        v.scale(mu).add(-b.lr(), b.dw());       // v = mu * v - lr * dw
        return step.add(1 + mu, v);             // w += -mu * v_prev + (1 + mu) * v
    }

    @Override
    public String describe() {
        return "nesterov " + mu;
    }
}
