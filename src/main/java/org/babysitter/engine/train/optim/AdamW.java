package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.Vec;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019): the L2 strength is not added to the gradient,
 * where Adam's per-entry scaling would shrink it for weights with large gradients, but taken off the weights
 * directly: {@code w -= lr * (m_hat / (sqrt(v_hat) + eps) + reg * w)}, with Adam's moments and bias correction
 * (b1 = 0.9, b2 = 0.999, eps = 1e-8) over the data gradient alone.
 */
public final class AdamW extends UpdateRule {
    @Override
    protected int slots() {
        return 2;
    }

    @Override
    protected boolean decoupledWeightDecay() {
        return true;
    }

    @Override
    protected Vec update(Param.Block b) {
        Vec m = b.slot(0);
        Vec v = b.slot(1);
        m.scale(Adam.BETA1).add(1 - Adam.BETA1, b.dw());       // m = b1 * m + (1 - b1) * dw
        v.scale(Adam.BETA2).addSquare(1 - Adam.BETA2, b.dw()); // v = b2 * v + (1 - b2) * dw^2
        double c1 = 1 - Math.pow(Adam.BETA1, b.t());
        double c2 = 1 - Math.pow(Adam.BETA2, b.t());
        return b.temp().setQuotient(-b.lr() / c1, m, v, 1 / c2, Adam.EPS) // w += -lr * (m / c1) / (sqrt(v / c2) + eps)
                .add(-b.lr() * b.decay(), b.w());                         //      - lr * reg * w
    }

    @Override
    public String describe() {
        return "adamw";
    }
}
