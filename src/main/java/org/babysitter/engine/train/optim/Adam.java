package org.babysitter.engine.train.optim;

/**
 * Adam with bias correction: {@code m = b1 m + (1-b1) dw; v = b2 v + (1-b2) dw^2;
 * w += -lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}, b1 = 0.9, b2 = 0.999, eps = 1e-8; t counts steps per param.
 */
public final class Adam extends UpdateRule {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPS = 1e-8f;
    private float c1 = 1;
    private float c2 = 1;

    @Override
    protected int slots() {
        return 2;
    }

    @Override
    public void begin(long t, float decay) {
        c1 = (float) (1 - Math.pow(BETA1, t));
        c2 = (float) (1 - Math.pow(BETA2, t));
    }

    @Override
    public float update(float w, float dw, float lr, float[] m, float[] v, int i) {
        m[i] = BETA1 * m[i] + (1 - BETA1) * dw;
        v[i] = BETA2 * v[i] + (1 - BETA2) * dw * dw;
        return -lr * (m[i] / c1) / ((float) Math.sqrt(v[i] / c2) + EPS);
    }

    @Override
    public String describe() {
        return "adam";
    }
}
