package org.babysitter.engine.train.optim;

/** Nesterov momentum (cs231n form): {@code v_prev = v; v = mu * v - lr * dw; w += -mu * v_prev + (1 + mu) * v}. */
public final class Nesterov extends UpdateRule {
    private final double mu;
    private final float muf;

    public Nesterov(double mu) {
        this.mu = mu;
        this.muf = (float) mu;
    }

    @Override
    protected int slots() {
        return 1;
    }

    @Override
    public float update(float w, float dw, float lr, float[] v, float[] unused, int i) {
        float vPrev = v[i];
        v[i] = muf * v[i] - lr * dw;
        return -muf * vPrev + (1 + muf) * v[i];
    }

    @Override
    public String describe() {
        return "nesterov " + mu;
    }
}
