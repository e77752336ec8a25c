package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/**
 * SGD with momentum: {@code v = mu * v - lr * dw; w += v}. With mu = 0.9 the effective step is about
 * lr / (1 - mu) = 10 lr: learning rates do not carry over from plain SGD.
 */
public final class Momentum extends UpdateRule {
    private final double mu;

    public Momentum(double mu) {
        this.mu = mu;
    }

    @Override
    public void apply(Param p, double lr, double reg, Stats stats) {
        State s = state(p, 1);
        double l2 = l2(p, reg);
        if (p.inFloat()) {
            float[] w = p.floatValues();
            float[] g = p.floatGradientValues();
            float[] v = s.floats[0];
            float lrf = (float) lr;
            float l2f = (float) l2;
            float muf = (float) mu;
            pass(p.size(), (from, to, sums, k) -> {
                float su = 0;
                float sw = 0;
                for (int i = from; i < to; i++) {
                    float wi = w[i];
                    float vi = muf * v[i] - lrf * (g[i] + l2f * wi);
                    v[i] = vi;
                    sw += wi * wi;
                    su += vi * vi;
                    w[i] = wi + vi;
                }
                sums[2 * k] += su;
                sums[2 * k + 1] += sw;
            }, stats);
            p.floatValuesWritten();
        } else {
            double[] w = p.value().data;
            double[] g = p.grad().data;
            double[] v = s.slots[0];
            pass(p.size(), (from, to, sums, k) -> {
                double su = 0;
                double sw = 0;
                for (int i = from; i < to; i++) {
                    double wi = w[i];
                    double vi = mu * v[i] - lr * (g[i] + l2 * wi);
                    v[i] = vi;
                    sw += wi * wi;
                    su += vi * vi;
                    w[i] = wi + vi;
                }
                sums[2 * k] += su;
                sums[2 * k + 1] += sw;
            }, stats);
            doubleValuesWritten(p);
        }
    }

    @Override
    public String describe() {
        return "momentum " + mu;
    }
}
