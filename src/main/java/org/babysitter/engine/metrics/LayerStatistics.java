package org.babysitter.engine.metrics;

import java.util.List;

/**
 * What happens inside the net at one iteration, sampled every few iterations: per layer output the distribution of
 * its values on the batch, per weight matrix the size of its gradient. The babysitting assistant reads these for
 * the lecture's weight-initialisation lesson (activations collapsing or saturating through depth), dead ReLUs and
 * vanishing or exploding gradients.
 *
 * @param iteration iterations done when the sample was taken (the batch of that iteration)
 * @param layers    the input ("0 input"), then every layer's output but the scores, in order
 * @param weights   every weight matrix (W1, W2, ...), in order
 */
public record LayerStatistics(int iteration, List<Output> layers, List<Gradient> weights) implements RunReport {
    public LayerStatistics {
        if (iteration < 1) {
            throw new IllegalArgumentException("iteration counts from 1, got " + iteration);
        }
        layers = List.copyOf(layers);
        weights = List.copyOf(weights);
    }

    /**
     * One layer's output on the batch.
     *
     * @param name      e.g. "2 relu" (position from 1, the layer's kind)
     * @param units     outputs per example
     * @param mean      mean over the batch and the units
     * @param std       standard deviation over the batch and the units
     * @param dead      fraction of units that are exactly 0 for every example of the batch (a dead ReLU)
     * @param saturated fraction of outputs within 1% of a squashing activation's bounds (tanh, sigmoid); 0 for
     *                  other layers
     */
    public record Output(String name, int units, double mean, double std, double dead, double saturated) {
        public Output {
            if (units < 1 || !(dead >= 0 && dead <= 1) || !(saturated >= 0 && saturated <= 1)) {
                throw new IllegalArgumentException("units >= 1 and fractions in [0, 1]: " + units + ", " + dead + ", " + saturated);
            }
        }
    }

    /**
     * One weight matrix's gradient (of the data loss, before L2) and values.
     *
     * @param name             "W1", ...
     * @param meanAbsGradient  mean |dW|
     * @param meanAbsValue     mean |W|
     */
    public record Gradient(String name, double meanAbsGradient, double meanAbsValue) {
    }

    @Override
    public void deliverTo(TrainingListener listener) {
        listener.onLayerStatistics(this);
    }
}
