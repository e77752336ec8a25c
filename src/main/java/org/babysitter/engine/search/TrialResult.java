package org.babysitter.engine.search;

import java.util.List;

/**
 * How a trial ended.
 *
 * @param trial         the trial
 * @param state         done, diverged, pruned, failed or cancelled
 * @param reason        why it stopped early, in words ("epoch 2: val 0.210 below the median 0.340 of 6 trials"); null
 *                      when done
 * @param valAccuracies the validation accuracy after each epoch it finished
 * @param nanos         wall time of the trial
 */
public record TrialResult(Trial trial, TrialState state, String reason, List<Double> valAccuracies, long nanos) {
    public TrialResult {
        if (trial == null || state == null) {
            throw new IllegalArgumentException("a result needs its trial and state");
        }
        if ((state == TrialState.DONE) != (reason == null)) {
            throw new IllegalArgumentException("a trial that stopped early says why, and only such a trial");
        }
        valAccuracies = List.copyOf(valAccuracies);
    }

    /** The best validation accuracy of its epochs, 0 if none finished or all were NaN. */
    public double best() {
        double b = 0;
        for (double v : valAccuracies) {
            if (v > b) {
                b = v;
            }
        }
        return b;
    }
}
