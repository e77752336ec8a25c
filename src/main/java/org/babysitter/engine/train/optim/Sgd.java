package org.babysitter.engine.train.optim;

/** Vanilla SGD: {@code w += -lr * dw}. Stateless. */
public final class Sgd extends UpdateRule {
    @Override
    protected int slots() {
        return 0;
    }

    @Override
    public float update(float w, float dw, float lr, float[] a, float[] b, int i) {
        return -lr * dw;
    }

    @Override
    public String describe() {
        return "sgd";
    }
}
