package org.babysitter.engine.metrics;

import java.util.List;

/**
 * The kept parameters of a run that ended, evaluated: the validation confusion matrix (per-class accuracy), the
 * test accuracy and the first layer's weights as pictures. Reported once, after the run's last event.
 *
 * @param iteration    iterations the run did
 * @param epoch        the epoch whose parameters the net kept (0: none completed, the parameters as they ended)
 * @param validation   on the validation split, or null without one
 * @param testAccuracy on the test split; NaN without one
 * @param firstLayer   the first layer's weights as square ARGB images (32x32 for a fully connected net, k x k for a conv net's filters), one per unit (at most 100); empty for a net
 *                     on other inputs
 */
public record RunEvaluation(int iteration, int epoch, Confusion validation, double testAccuracy, List<int[]> firstLayer)
        implements RunReport {
    public RunEvaluation {
        firstLayer = List.copyOf(firstLayer);
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch >= 0");
        }
        if (!Double.isNaN(testAccuracy) && !(testAccuracy >= 0 && testAccuracy <= 1)) {
            throw new IllegalArgumentException("test accuracy in [0, 1] or NaN, got " + testAccuracy);
        }
    }

    @Override
    public void deliverTo(TrainingListener listener) {
        listener.onEvaluation(this);
    }
}
