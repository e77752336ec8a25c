package org.babysitter.engine.train.optim;

/** RMSProp: {@code cache = decay * cache + (1 - decay) * dw^2; w += -lr * dw / (sqrt(cache) + eps)}, decay 0.99, eps 1e-8. */
public final class RmsProp extends UpdateRule {
    public static final float DECAY = 0.99f;
    public static final float EPS = 1e-8f;

    @Override
    protected int slots() {
        return 1;
    }

    @Override
    public float update(float w, float dw, float lr, float[] cache, float[] unused, int i) {
        cache[i] = DECAY * cache[i] + (1 - DECAY) * dw * dw;
        return -lr * dw / ((float) Math.sqrt(cache[i]) + EPS);
    }

    @Override
    public String describe() {
        return "rmsprop";
    }
}
