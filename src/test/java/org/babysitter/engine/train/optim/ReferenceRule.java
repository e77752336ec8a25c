package org.babysitter.engine.train.optim;

import java.util.HashMap;
import java.util.Map;

/**
 * The update rules as cs231n's optim.py writes them, for tests to check the real rules against: one parameter at a
 * time, in plain double loops, written from the formulas and not from the rules' code, with the state (velocity,
 * cache, moments and Adam's step count) kept per parameter id. {@link #step} updates {@code w} in place and leaves
 * sum(update^2) and sum(w^2) before the step in {@link #updateSquares} and {@link #valueSquares}.
 */
public final class ReferenceRule {
    private final UpdateRuleKind kind;
    private final double mu;
    private final Map<Object, double[][]> state = new HashMap<>();
    private final Map<Object, Integer> steps = new HashMap<>();
    public double updateSquares;
    public double valueSquares;

    public ReferenceRule(UpdateRuleKind kind, double mu) {
        this.kind = kind;
        this.mu = mu;
    }

    /**
     * One step of parameter {@code id}: {@code dw} is the gradient to follow, the L2 gradient {@code reg * w} already
     * in it, except for adamw, which gets the data gradient alone and takes {@code decay * w} off the weights itself.
     */
    public void step(Object id, double[] w, double[] dw, double lr, double decay) {
        double[][] s = state.computeIfAbsent(id, k -> new double[2][w.length]);
        int t = steps.merge(id, 1, Integer::sum);
        double[] first = s[0];
        double[] second = s[1];
        updateSquares = 0;
        valueSquares = 0;
        for (int i = 0; i < w.length; i++) {
            double g = dw[i];
            double update;
            switch (kind) {
                case SGD -> update = -lr * g;                           // w += -lr * dw
                case MOMENTUM -> {
                    first[i] = mu * first[i] - lr * g;                  // v = mu * v - lr * dw
                    update = first[i];                                  // w += v
                }
                case NESTEROV -> {
                    double vPrev = first[i];
                    first[i] = mu * first[i] - lr * g;                  // v = mu * v - lr * dw
                    update = -mu * vPrev + (1 + mu) * first[i];         // w += -mu * v_prev + (1 + mu) * v
                }
                case RMSPROP -> {
                    first[i] = 0.99 * first[i] + (1 - 0.99) * g * g;    // cache = decay * cache + (1 - decay) * dw^2
                    update = -lr * g / (Math.sqrt(first[i]) + 1e-8);    // w += -lr * dw / (sqrt(cache) + eps)
                }
                case ADAM, ADAMW -> {
                    first[i] = 0.9 * first[i] + (1 - 0.9) * g;          // m = beta1 * m + (1 - beta1) * dw
                    second[i] = 0.999 * second[i] + (1 - 0.999) * g * g; // v = beta2 * v + (1 - beta2) * dw^2
                    double mHat = first[i] / (1 - Math.pow(0.9, t));     // bias corrections, t = 1 on the first step
                    double vHat = second[i] / (1 - Math.pow(0.999, t));
                    update = -lr * mHat / (Math.sqrt(vHat) + 1e-8);
                    if (kind == UpdateRuleKind.ADAMW) {
                        update -= lr * decay * w[i];                    // decoupled weight decay
                    }
                }
                default -> throw new AssertionError(kind);
            }
            updateSquares += update * update;
            valueSquares += w[i] * w[i];
            w[i] += update;
        }
    }

    /** norm(update) / norm(w before) of the last step. */
    public double ratio() {
        return Math.sqrt(updateSquares / valueSquares);
    }
}
