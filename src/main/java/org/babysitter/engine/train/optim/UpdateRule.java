package org.babysitter.engine.train.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.StepFormula;

/**
 * A parameter update rule, its formula written once, for one entry, as the lecture writes it: {@link #update} gets an
 * entry of the weights {@code w}, its gradient {@code dw}, the learning rate and the rule's per-entry state
 * {@code a[i]}, {@code b[i]}, updates the state and returns the update ({@code v = mu * v - lr * dw} returns v;
 * {@code w += v} follows). It computes in single precision: constants are floats.
 * <p>
 * Everything else is done once for every rule, here and in {@link Param#step}:
 * <ul>
 * <li>the gradient followed is the param's gradient plus, for a regularized param (a weight matrix),
 * {@code reg * w}, the gradient of the L2 term {@code 0.5 * reg * sum(W^2)} (a rule with decoupled weight decay
 * gets {@code reg} in {@link #begin} instead and applies it itself);</li>
 * <li>the learning rate is an argument, not state, so it can change between any two steps;</li>
 * <li>the sums of squares of the update and of the weights before it are measured: their square roots' ratio is
 * the lecture's norm(update)/norm(W) (about 1e-3 when the learning rate is right), and the latter also gives the L2
 * term of the step's loss without another pass;</li>
 * <li>the state (up to two numbers per entry, and a step count) is kept per param, created on first use; the loop
 * over the entries is the param's, with the formula inlined into it (see {@code StepLoop}).</li>
 * </ul>
 * A rule instance belongs to one run. A new rule is one class (and its name in {@link UpdateRuleKind}).
 */
public abstract class UpdateRule implements StepFormula {
    private final Map<Param, Param.Slots> state = new IdentityHashMap<>();

    /** Numbers this rule keeps per entry (velocity: 1, Adam's moments: 2), at most 2. */
    protected abstract int slots();

    /** True if the rule applies the L2 strength to the weights itself instead of receiving it in the gradient. */
    protected boolean decoupledWeightDecay() {
        return false;
    }

    /** The rule's name and hyperparameters, e.g. "momentum 0.9". */
    public abstract String describe();

    /** Applies one update to {@code p} (see the class comment); {@code stats} receives the sums of squares. */
    public final void apply(Param p, double learningRate, double reg, Param.StepStats stats) {
        Param.Slots s = state.computeIfAbsent(p, q -> q.newSlots(slots()));
        p.step(s, learningRate, p.regularized() ? reg : 0, !decoupledWeightDecay(), this, stats);
    }

    /**
     * Forgets every param's state (velocities, moments, step counts): the next step of each is its first. A run rewound
     * to a good state after its loss broke starts its rule afresh: velocities built at the rate that broke it would
     * carry the weights off again at a lower one.
     */
    public final void reset() {
        state.clear();
    }

    /**
     * A copy of the state this rule keeps for each of {@code params} (null for a param not stepped yet), to go on
     * with later by {@link #setState}: a run forked at an iteration carries its velocities and moments over.
     */
    public final List<Param.Slots> copyState(List<Param> params) {
        List<Param.Slots> out = new ArrayList<>(params.size());
        for (Param p : params) {
            Param.Slots s = state.get(p);
            out.add(s == null ? null : s.copy());
        }
        return out;
    }

    /**
     * Takes {@code slots} (from {@link #copyState}, of a rule of the same kind, over params of the same shapes) as the
     * state of {@code params}, in order; the copies are copied again, so one saved state can start several runs.
     */
    public final void setState(List<Param> params, List<Param.Slots> slots) {
        if (params.size() != slots.size()) {
            throw new IllegalArgumentException(slots.size() + " saved rule states for " + params.size() + " params");
        }
        state.clear();
        for (int i = 0; i < params.size(); i++) {
            Param.Slots s = slots.get(i);
            if (s != null) {
                state.put(params.get(i), s.copy());
            }
        }
    }

    /** One update following the gradient as it is, no L2; returns norm(update) / norm(p before). */
    public final double apply(Param p, double learningRate) {
        Param.StepStats s = new Param.StepStats();
        apply(p, learningRate, 0, s);
        return s.ratio();
    }
}
