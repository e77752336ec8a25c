package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.Vec;

/** Vanilla SGD: {@code w += -lr * dw}. Stateless. */
public final class Sgd extends UpdateRule {
    @Override
    protected int slots() {
        return 0;
    }

    @Override
    protected Vec update(Param.Block b) {
        return b.temp().setScaled(-b.lr(), b.dw()); // -lr * dw
    }

    @Override
    public String describe() {
        return "sgd";
    }
}
