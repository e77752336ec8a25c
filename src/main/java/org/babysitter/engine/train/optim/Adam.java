package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/**
 * Adam with bias correction: {@code m = b1 m + (1-b1) dw; v = b2 v + (1-b2) dw^2;
 * w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}, b1 = 0.9, b2 = 0.999, eps = 1e-8; t counts steps per param.
 */
public final class Adam extends UpdateRule {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;
    private static final float BETA1_F = (float) BETA1;
    private static final float BETA2_F = (float) BETA2;
    private static final float EPS_F = (float) EPS;

    @Override
    public void apply(Param p, double lr, double reg, Stats stats) {
        State s = state(p, 2);
        long t = ++s.steps;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        double l2 = l2(p, reg);
        if (p.inFloat()) {
            float[] w = p.floatValues();
            float[] g = p.floatGradientValues();
            float[] m = s.floats[0];
            float[] v = s.floats[1];
            float lrf = (float) lr;
            float l2f = (float) l2;
            float c1f = (float) c1;
            float c2f = (float) c2;
            pass(p.size(), (from, to, sums, k) -> {
                float su = 0;
                float sw = 0;
                for (int i = from; i < to; i++) {
                    float wi = w[i];
                    float gi = g[i] + l2f * wi;
                    float mi = BETA1_F * m[i] + (1 - BETA1_F) * gi;
                    float vi = BETA2_F * v[i] + (1 - BETA2_F) * gi * gi;
                    m[i] = mi;
                    v[i] = vi;
                    float delta = -lrf * (mi / c1f) / ((float) Math.sqrt(vi / c2f) + EPS_F);
                    sw += wi * wi;
                    su += delta * delta;
                    w[i] = wi + delta;
                }
                sums[2 * k] += su;
                sums[2 * k + 1] += sw;
            }, stats);
            p.floatValuesWritten();
        } else {
            double[] w = p.value().data;
            double[] g = p.grad().data;
            double[] m = s.slots[0];
            double[] v = s.slots[1];
            pass(p.size(), (from, to, sums, k) -> {
                double su = 0;
                double sw = 0;
                for (int i = from; i < to; i++) {
                    double wi = w[i];
                    double gi = g[i] + l2 * wi;
                    double mi = BETA1 * m[i] + (1 - BETA1) * gi;
                    double vi = BETA2 * v[i] + (1 - BETA2) * gi * gi;
                    m[i] = mi;
                    v[i] = vi;
                    double delta = -lr * (mi / c1) / (Math.sqrt(vi / c2) + EPS);
                    sw += wi * wi;
                    su += delta * delta;
                    w[i] = wi + delta;
                }
                sums[2 * k] += su;
                sums[2 * k + 1] += sw;
            }, stats);
            doubleValuesWritten(p);
        }
    }

    @Override
    public String describe() {
        return "adam";
    }
}
