package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/** Vanilla SGD: {@code w -= lr * dw}. Stateless. */
public final class Sgd extends UpdateRule {
    @Override
    public void apply(Param p, double lr, double reg, Stats stats) {
        double l2 = l2(p, reg);
        if (p.inFloat()) {
            float[] w = p.floatValues();
            float[] g = p.floatGradientValues();
            float lrf = (float) lr;
            float l2f = (float) l2;
            pass(p.size(), (from, to, sums, k) -> {
                float su = 0;
                float sw = 0;
                for (int i = from; i < to; i++) {
                    float wi = w[i];
                    float delta = -lrf * (g[i] + l2f * wi);
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
            pass(p.size(), (from, to, sums, k) -> {
                double su = 0;
                double sw = 0;
                for (int i = from; i < to; i++) {
                    double wi = w[i];
                    double delta = -lr * (g[i] + l2 * wi);
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
        return "sgd";
    }
}
