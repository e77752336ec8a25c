package org.babysitter.engine.train;

import java.util.List;

import org.babysitter.engine.metrics.EpochMetrics;

/**
 * How a run ended.
 *
 * @param iterations      iterations done
 * @param completed       all epochs ran
 * @param divergedReason  why the run was ended as diverged, in words; null if it did not diverge
 * @param bestValAccuracy the best validation accuracy seen (the net holds those parameters at the end)
 * @param bestEpoch       when it was seen, 0 if no epoch ended
 * @param epochs          every epoch's metrics
 * @param firstLoss       the loss of the first iteration
 * @param lastLoss        the loss of the last iteration
 */
public record TrainResult(int iterations, boolean completed, String divergedReason, double bestValAccuracy,
                          int bestEpoch, List<EpochMetrics> epochs, double firstLoss, double lastLoss) {
    public TrainResult {
        epochs = List.copyOf(epochs);
    }

    public boolean diverged() {
        return divergedReason != null;
    }

    /** The last epoch's metrics, or null. */
    public EpochMetrics lastEpoch() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }
}
