package org.babysitter.engine.train.optim;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019): the L2 strength is not added to the gradient,
 * where Adam's per-entry scaling would shrink it for weights with large gradients, but taken off the weights
 * directly: {@code w += -lr * (m_hat / (sqrt(v_hat) + eps) + reg * w)}, with Adam's moments and bias correction
 * (b1 = 0.9, b2 = 0.999, eps = 1e-8) over the data gradient alone.
 */
public final class AdamW extends UpdateRule {
    private float c1 = 1;
    private float c2 = 1;
    private float decay;

    @Override
    protected int slots() {
        return 2;
    }

    @Override
    protected boolean decoupledWeightDecay() {
        return true;
    }

    @Override
    public void begin(long t, float reg) {
        c1 = (float) (1 - Math.pow(Adam.BETA1, t));
        c2 = (float) (1 - Math.pow(Adam.BETA2, t));
        decay = reg;
    }

    @Override
    public float update(float w, float dw, float lr, float[] m, float[] v, int i) {
        m[i] = Adam.BETA1 * m[i] + (1 - Adam.BETA1) * dw;
        v[i] = Adam.BETA2 * v[i] + (1 - Adam.BETA2) * dw * dw;
        return -lr * ((m[i] / c1) / ((float) Math.sqrt(v[i] / c2) + Adam.EPS) + decay * w);
    }

    @Override
    public String describe() {
        return "adamw";
    }
}
