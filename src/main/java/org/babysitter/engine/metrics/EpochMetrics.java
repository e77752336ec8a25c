package org.babysitter.engine.metrics;

/**
 * What the end of an epoch reports.
 *
 * @param epoch         epochs done, from 1
 * @param epochs        epochs planned
 * @param iteration     iterations done
 * @param loss          the loss of the epoch's last iteration (the lecture's "cost")
 * @param trainAccuracy accuracy on a sample of the training split (1,000 images by default)
 * @param valAccuracy   accuracy on the validation split (NaN if it is empty)
 * @param learningRate  the learning rate after this epoch's decay, which the next epoch uses: what the lecture's
 *                      epoch line prints
 * @param elapsedNanos  training time so far, pauses excluded
 */
public record EpochMetrics(int epoch, int epochs, int iteration, double loss, double trainAccuracy,
                           double valAccuracy, double learningRate, long elapsedNanos) implements RunReport {
    public EpochMetrics {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " of " + epochs);
        }
        if (!(trainAccuracy >= 0 && trainAccuracy <= 1)) {
            throw new IllegalArgumentException("train accuracy must be in [0, 1], got " + trainAccuracy);
        }
        if (!Double.isNaN(valAccuracy) && !(valAccuracy >= 0 && valAccuracy <= 1)) {
            throw new IllegalArgumentException("val accuracy must be in [0, 1] (NaN without a validation set), got " + valAccuracy);
        }
    }

    @Override
    public void deliverTo(TrainingListener listener) {
        listener.onEpoch(this);
    }

    /** The lecture's line: "Finished epoch 1 / 10: cost 2.186654, train: 0.308000, val 0.306000, lr 3.000000e-03". */
    public String lectureLine() {
        return String.format(java.util.Locale.ROOT, "Finished epoch %d / %d: cost %.6f, train: %.6f, val %.6f, lr %e",
                epoch, epochs, loss, trainAccuracy, valAccuracy, learningRate);
    }
}
