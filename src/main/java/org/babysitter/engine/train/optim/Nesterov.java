package org.babysitter.engine.train.optim;

import org.babysitter.engine.model.Param;

/** Nesterov momentum (cs231n form): {@code v' = mu v - lr dw; w += -mu v + (1 + mu) v'}. */
public final class Nesterov extends UpdateRule {
    private final double mu;

    public Nesterov(double mu) {
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
            float onePlusMu = (float) (1 + mu);
            pass(p.size(), (from, to, sums, k) -> {
                float su = 0;
                float sw = 0;
                for (int i = from; i < to; i++) {
                    float wi = w[i];
                    float prev = v[i];
                    float vi = muf * prev - lrf * (g[i] + l2f * wi);
                    v[i] = vi;
                    float delta = -muf * prev + onePlusMu * vi;
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
            double[] v = s.slots[0];
            pass(p.size(), (from, to, sums, k) -> {
                double su = 0;
                double sw = 0;
                for (int i = from; i < to; i++) {
                    double wi = w[i];
                    double prev = v[i];
                    double vi = mu * prev - lr * (g[i] + l2 * wi);
                    v[i] = vi;
                    double delta = -mu * prev + (1 + mu) * vi;
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
        return "nesterov " + mu;
    }
}
