package org.babysitter.engine.train.optim;

/**
 * SGD with momentum: {@code v = mu * v - lr * dw; w += v}. With mu = 0.9 the effective step is about
 * lr / (1 - mu) = 10 lr: learning rates do not carry over from plain SGD.
 */
public final class Momentum extends UpdateRule {
    private final double mu;
    private final float muf;

    public Momentum(double mu) {
        this.mu = mu;
        this.muf = (float) mu;
    }

    @Override
    protected int slots() {
        return 1;
    }

    @Override
    public float update(float w, float dw, float lr, float[] v, float[] unused, int i) {
        v[i] = muf * v[i] - lr * dw;
        return v[i];
    }

    @Override
    public String describe() {
        return "momentum " + mu;
    }
}
