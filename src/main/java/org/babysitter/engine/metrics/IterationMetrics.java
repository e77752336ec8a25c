package org.babysitter.engine.metrics;

import java.util.List;

/**
 * What one training iteration reports.
 *
 * @param iteration     iterations done so far, from 1
 * @param epoch         epochs done so far, fractional (iteration / iterations per epoch)
 * @param loss          the mini-batch loss, L2 term included, before this iteration's update (NaN or infinite
 *                      at the iteration that diverged)
 * @param learningRate  the learning rate the update used
 * @param reg           the regularization strength the loss used
 * @param updateRatios  norm(update) / norm(W) for W1, W2, ... (the lecture's ~1e-3 rule); NaN where no update was made
 * @param elapsedNanos  training time so far, pauses excluded
 * @param regLoss       the L2 term {@code 0.5 * reg * sum(W^2)} inside {@code loss} (0 with reg 0)
 */
public record IterationMetrics(int iteration, double epoch, double loss, double learningRate, double reg,
                               List<Double> updateRatios, long elapsedNanos, double regLoss) implements RunReport {
    public IterationMetrics {
        if (iteration < 1) {
            throw new IllegalArgumentException("iteration counts from 1, got " + iteration);
        }
        if (epoch < 0 || learningRate < 0 || reg < 0 || elapsedNanos < 0) {
            throw new IllegalArgumentException("negative epoch, learning rate, reg or time");
        }
        updateRatios = List.copyOf(updateRatios);
    }

    @Override
    public void deliverTo(TrainingListener listener) {
        listener.onIteration(this);
    }
}
