package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.Vec;

/** RMSProp: {@code cache = decay * cache + (1 - decay) * dw^2; w -= lr * dw / (sqrt(cache) + eps)}, decay 0.99, eps 1e-8. */
public final class RmsProp extends UpdateRule {
    public static final double DECAY = 0.99;
    public static final double EPS = 1e-8;

    @Override
    protected int slots() {
        return 1;
    }

    @Override
    protected Vec update(Param.Block b) {
        Vec cache = b.slot(0);
        cache.scale(DECAY).addSquare(1 - DECAY, b.dw());              // cache = decay * cache + (1 - decay) * dw^2
        return b.temp().setQuotient(-b.lr(), b.dw(), cache, 1, EPS); // w += -lr * dw / (sqrt(cache) + eps)
    }

    @Override
    public String describe() {
        return "rmsprop";
    }
}
