package org.babysitter.engine.metrics;

import java.util.List;

/**
 * What happens inside the net at one iteration, sampled every few iterations: per layer output the distribution of
 * its values on the batch, per weight matrix the size of its gradient and of the step's update, each with a
 * {@link Histogram}. The babysitting assistant reads these for the lecture's weight-initialisation lesson (activations
 * collapsing or saturating through depth), dead ReLUs and vanishing or exploding gradients; the window and
 * {@code train --layers} show them over time. A batch-norm layer's input (the affine layer before it) and output are
 * entries of their own: {@link #label(int)} says which is which.
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
     * @param values    the outputs' histogram on the batch ({@link Histogram#NONE} if none was taken)
     */
    public record Output(String name, int units, double mean, double std, double dead, double saturated, Histogram values) {
        public Output {
            if (units < 1 || !(dead >= 0 && dead <= 1) || !(saturated >= 0 && saturated <= 1) || values == null) {
                throw new IllegalArgumentException("units >= 1, fractions in [0, 1] and a histogram: " + units + ", " + dead
                        + ", " + saturated);
            }
        }

        /** A ReLU or leaky ReLU: its units can die (0 for every example). */
        public boolean rectifier() {
            return name.endsWith(" relu") || name.contains(" leaky relu");
        }

        /** A tanh or sigmoid: its units can saturate. */
        public boolean squashing() {
            return name.endsWith(" tanh") || name.endsWith(" sigmoid");
        }

        /** Statistics without a histogram. */
        public Output(String name, int units, double mean, double std, double dead, double saturated) {
            this(name, units, mean, std, dead, saturated, Histogram.NONE);
        }
    }

    /**
     * One weight matrix's gradient (of the data loss, before L2), values and the step's update.
     *
     * @param name             "W1", ...
     * @param meanAbsGradient  mean |dW|
     * @param meanAbsValue     mean |W| (after the step)
     * @param meanAbsUpdate    mean |update| of the step (NaN if not measured)
     * @param gradient         dW's histogram (of every k-th entry of a large tensor, over the whole tensor's range)
     * @param update           the step's change of W (W after minus W before, L2 and the rule's momentum included),
     *                         its histogram as the gradient's
     */
    public record Gradient(String name, double meanAbsGradient, double meanAbsValue, double meanAbsUpdate, Histogram gradient,
                           Histogram update) {
        public Gradient {
            if (gradient == null || update == null) {
                throw new IllegalArgumentException("histograms must be given (Histogram.NONE for none)");
            }
        }

        /** Sizes without the update and histograms. */
        public Gradient(String name, double meanAbsGradient, double meanAbsValue) {
            this(name, meanAbsGradient, meanAbsValue, Double.NaN, Histogram.NONE, Histogram.NONE);
        }

        /** mean |update| / mean |W|: near the lecture's norm(update) / norm(W), about 1e-3 when the rate is right. */
        public double updateRatio() {
            return meanAbsValue == 0 ? Double.NaN : meanAbsUpdate / meanAbsValue;
        }
    }

    /**
     * Layer {@code i}'s name, with "(before batch norm)" on the output a batch-norm layer reads and "(after batch norm)"
     * on a batch-norm layer's own: "1 affine 3072 -> 50 (before batch norm)", "2 batch norm 50 (after batch norm)".
     */
    public String label(int i) {
        String name = layers.get(i).name();
        if (isBatchNorm(name)) {
            return name + " (after batch norm)";
        }
        return i + 1 < layers.size() && isBatchNorm(layers.get(i + 1).name()) ? name + " (before batch norm)" : name;
    }

    private static boolean isBatchNorm(String name) {
        return name.contains(" batch norm");
    }

    /** The hidden layers' outputs: every entry but the input, in order. */
    public List<Output> hidden() {
        return layers.stream().filter(o -> !o.name().equals(INPUT)).toList();
    }

    /**
     * The sample as a compact table: a line per layer (mean, std, dead units, saturated outputs: a dash where the
     * layer cannot have them) and one line with each weight's mean |dW|, mean |W| and mean |update| / mean |W|.
     */
    public List<String> lines() {
        int w = "layer".length();
        for (int i = 0; i < layers.size(); i++) {
            w = Math.max(w, label(i).length());
        }
        List<String> out = new java.util.ArrayList<>();
        out.add(String.format(java.util.Locale.ROOT, "  %-" + w + "s %10s %10s %7s %10s", "layer", "mean", "std", "dead", "saturated"));
        for (int i = 0; i < layers.size(); i++) {
            Output o = layers.get(i);
            out.add(String.format(java.util.Locale.ROOT, "  %-" + w + "s %10s %10s %7s %10s", label(i),
                    org.babysitter.engine.Numbers.significant(o.mean(), 3), org.babysitter.engine.Numbers.significant(o.std(), 3),
                    o.rectifier() ? percent(o.dead()) : "-", o.squashing() ? percent(o.saturated()) : "-"));
        }
        StringBuilder g = new StringBuilder("  weights:");
        for (Gradient d : weights) {
            g.append(' ').append(d.name()).append(" mean |dW| ").append(org.babysitter.engine.Numbers.significant(d.meanAbsGradient(), 2))
                    .append(", |W| ").append(org.babysitter.engine.Numbers.significant(d.meanAbsValue(), 2));
            if (!Double.isNaN(d.updateRatio())) {
                g.append(", |update|/|W| ").append(org.babysitter.engine.Numbers.significant(d.updateRatio(), 2));
            }
            g.append(';');
        }
        out.add(g.substring(0, g.length() - (weights.isEmpty() ? 0 : 1)));
        return out;
    }

    private static String percent(double f) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * f);
    }

    /** The input's entry's name. */
    public static final String INPUT = "0 input";

    @Override
    public void deliverTo(TrainingListener listener) {
        listener.onLayerStatistics(this);
    }
}
