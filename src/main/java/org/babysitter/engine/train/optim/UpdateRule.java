package org.babysitter.engine.train.optim;

import java.util.IdentityHashMap;
import java.util.Map;

import org.babysitter.engine.model.Param;

/**
 * The one contract of every parameter update rule.
 * <p>
 * {@link #apply} changes {@code p.value()} in place using {@code p.grad()} (the gradient of the loss,
 * regularization included) and the given learning rate, and returns the ratio the lecture tells you to
 * watch: {@code norm(update) / norm(value before the update)}, about 1e-3 when the learning rate is right
 * (NaN when the value was all zeros). The learning rate is an argument, not state, so it can change between
 * any two steps. Everything else a rule remembers between steps (velocities, squared-gradient caches, step
 * counts) it owns, per param, created on first use; a rule instance belongs to one run.
 */
public abstract class UpdateRule {
    private final Map<Param, State> state = new IdentityHashMap<>();

    /** Applies one update to {@code p}; returns norm(update) / norm(p before). */
    public abstract double apply(Param p, double learningRate);

    /** The rule's name and hyperparameters, e.g. "momentum 0.9". */
    public abstract String describe();

    /** What a rule remembers about one param: arrays the size of the param, and a step count. */
    protected static final class State {
        public final double[][] slots;
        public long steps;

        State(int slots, int size) {
            this.slots = new double[slots][size];
        }
    }

    /** This rule's state for {@code p}, with {@code slots} zeroed arrays the first time. */
    protected final State state(Param p, int slots) {
        return state.computeIfAbsent(p, k -> new State(slots, k.size()));
    }

    /** The ratio from the sums of squares of the update and of the old value. */
    protected static double ratio(double updateSq, double valueSq) {
        return valueSq == 0 ? Double.NaN : Math.sqrt(updateSq / valueSq);
    }
}
