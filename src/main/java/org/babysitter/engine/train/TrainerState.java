package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.babysitter.engine.SplitMix;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.Param;

/**
 * Everything a run is between two iterations, copied: the net's values, buffers and dropout generator, the update
 * rule's velocities or moments, the batch generator and the order of the epoch's shuffle, the learning rate and reg
 * in use, the first loss (the 3x break's yardstick), the best epoch's values and the epochs so far. A trainer started
 * from it ({@link Trainer#Trainer(Net, org.babysitter.engine.data.Dataset, org.babysitter.engine.preprocess.Preprocessor,
 * TrainConfig, TrainerControls, TrainerState)}) goes on exactly as the original would have: with the same controls it
 * computes the same losses, bit for bit. One state can start several runs (the original continued, and its forks).
 * Taken by {@link TrainerControls#askState()} while the run is paused or between two of its iterations.
 */
public final class TrainerState {
    final int iteration;
    final Net.State values;
    final List<Param.Slots> rule;
    final SplitMix random;
    final int[] order;
    final int[] sampleOrder;
    final double learningRate;
    final double reg;
    final double firstLoss;
    final double loss;
    final Net.State best;
    final double bestVal;
    final int bestEpoch;
    final List<EpochMetrics> epochs;
    final long active;
    final String net;
    final TrainConfig config;

    TrainerState(int iteration, Net.State values, List<Param.Slots> rule, SplitMix random, int[] order, int[] sampleOrder,
                 double learningRate, double reg, double firstLoss, double loss, Net.State best, double bestVal,
                 int bestEpoch, List<EpochMetrics> epochs, long active, String net, TrainConfig config) {
        this.iteration = iteration;
        this.values = values;
        // already a copy (UpdateRule.copyState); null: a param not stepped yet, so no List.copyOf
        this.rule = Collections.unmodifiableList(new ArrayList<>(rule));
        this.random = random.copy();
        this.order = order.clone();
        this.sampleOrder = sampleOrder.clone();
        this.learningRate = learningRate;
        this.reg = reg;
        this.firstLoss = firstLoss;
        this.loss = loss;
        this.best = best;
        this.bestVal = bestVal;
        this.bestEpoch = bestEpoch;
        this.epochs = List.copyOf(epochs);
        this.active = active;
        this.net = net;
        this.config = config;
    }

    /** Iterations done: the next one to run is {@code iteration() + 1}. */
    public int iteration() {
        return iteration;
    }

    /** The learning rate in use at this point (the original's, before any change a fork asks for). */
    public double learningRate() {
        return learningRate;
    }

    /** The reg in use at this point. */
    public double reg() {
        return reg;
    }

    /** The last iteration's loss (NaN before the first). */
    public double loss() {
        return loss;
    }

    /** Epochs ended so far. */
    public int epochsDone() {
        return epochs.size();
    }

    /** The run's trainer parameters (a run from this state trains with the same ones; its controls may differ). */
    public TrainConfig config() {
        return config;
    }

    /** The net in words, as the run described it. */
    public String net() {
        return net;
    }
}
