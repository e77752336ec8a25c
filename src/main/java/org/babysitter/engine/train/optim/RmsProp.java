package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/** RMSProp: {@code c = d c + (1 - d) dw^2; w -= lr dw / (sqrt(c) + eps)}, decay d = 0.99, eps = 1e-8. */
public final class RmsProp extends UpdateRule {
    public static final double DECAY = 0.99;
    public static final double EPS = 1e-8;
    private static final float DECAY_F = (float) DECAY;
    private static final float EPS_F = (float) EPS;

    @Override
    public void apply(Param p, double lr, double reg, Stats stats) {
        State s = state(p, 1);
        double l2 = l2(p, reg);
        if (p.inFloat()) {
            float[] w = p.floatValues();
            float[] g = p.floatGradientValues();
            float[] c = s.floats[0];
            float lrf = (float) lr;
            float l2f = (float) l2;
            pass(p.size(), (from, to, sums, k) -> {
                float su = 0;
                float sw = 0;
                for (int i = from; i < to; i++) {
                    float wi = w[i];
                    float gi = g[i] + l2f * wi;
                    float ci = DECAY_F * c[i] + (1 - DECAY_F) * gi * gi;
                    c[i] = ci;
                    float delta = -lrf * gi / ((float) Math.sqrt(ci) + EPS_F);
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
            double[] c = s.slots[0];
            pass(p.size(), (from, to, sums, k) -> {
                double su = 0;
                double sw = 0;
                for (int i = from; i < to; i++) {
                    double wi = w[i];
                    double gi = g[i] + l2 * wi;
                    double ci = DECAY * c[i] + (1 - DECAY) * gi * gi;
                    c[i] = ci;
                    double delta = -lr * gi / (Math.sqrt(ci) + EPS);
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
        return "rmsprop";
    }
}
