package org.babysitter.engine.train;

import org.babysitter.engine.model.Net;
import org.babysitter.engine.train.optim.UpdateRule;

/**
 * The last good state of a run, to rewind to when its loss breaks (NaN, inf, above 3x the first): the net's values
 * and buffers, taken at the start of an iteration every {@code every} iterations and
 * counted good only once that iteration's loss, computed with exactly those values, came out finite, at most
 * {@value #OVER_FIRST} times the first loss and at most {@value #OVER_LOWEST} times the lowest loss so far (a loss
 * already climbing towards the break is not a state to go back to). A snapshot is never trusted before its own loss
 * is seen: the values after an update are the ones the next loss judges. The update rule's state is not kept: a
 * rewind starts it afresh ({@link UpdateRule#reset()}).
 */
final class LastGood {
    /** A good loss is at most this many times the first (the break is at {@link Trainer#DIVERGENCE_FACTOR}). */
    static final double OVER_FIRST = 1.1;
    /** A good loss is at most this many times the lowest so far (one batch's loss is noisy). */
    static final double OVER_LOWEST = 2;

    private final Net net;
    private final UpdateRule rule;
    private final int every;
    private Net.State pending;
    private int pendingIteration = -1;
    private Net.State good;
    private int goodIteration = -1;
    private double goodLoss = Double.NaN;
    private double lowest = Double.POSITIVE_INFINITY;
    private long nanos;

    /** Snapshots every {@code every} iterations (the first iteration's always). */
    LastGood(Net net, UpdateRule rule, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("a snapshot every N >= 1 iterations, got " + every);
        }
        this.net = net;
        this.rule = rule;
        this.every = every;
    }

    /** Before iteration {@code it} (0-based) runs: a snapshot of the values it will be judged on, if it is time. */
    void beforeIteration(int it) {
        if (it % every != 0 && good != null) {
            return;
        }
        long start = System.nanoTime();
        if (pending == null) {
            pending = net.snapshot();
        } else {
            pending.copyFrom(net);
        }
        pendingIteration = it;
        nanos += System.nanoTime() - start;
    }

    /**
     * After every iteration's loss: a pending snapshot of iteration {@code it} becomes the good one if the loss is
     * good.
     */
    void judged(int it, double loss, double firstLoss) {
        if (Double.isFinite(loss)) {
            lowest = Math.min(lowest, loss);
        }
        if (it != pendingIteration) {
            return;
        }
        pendingIteration = -1;
        if (!(Double.isFinite(loss) && loss <= OVER_FIRST * firstLoss && loss <= OVER_LOWEST * lowest)) {
            return;
        }
        Net.State s = good;
        good = pending;
        pending = s;
        goodIteration = it;
        goodLoss = loss;
    }

    /** True if there is a good snapshot to rewind to. */
    boolean present() {
        return good != null;
    }

    /** Iterations done when the good snapshot was taken (its values gave the loss of iteration {@code iteration() + 1}). */
    int iteration() {
        return goodIteration;
    }

    /** The loss the good snapshot's values gave. */
    double loss() {
        return goodLoss;
    }

    /** Time spent taking snapshots so far. */
    long nanos() {
        return nanos;
    }

    /** Puts the good snapshot's values back into the net and starts the update rule afresh. */
    void restore() {
        if (good == null) {
            throw new IllegalStateException("no good snapshot yet");
        }
        net.restore(good);
        rule.reset();
    }
}
