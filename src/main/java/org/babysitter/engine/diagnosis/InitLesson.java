package org.babysitter.engine.diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.Histogram;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.Mode;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import org.babysitter.engine.train.LayerProbe;
import org.ejml.data.DMatrixRMaj;

/**
 * The lesson before the lecture, as a computation: a 10-layer tanh net of 500 units per layer, unit-gaussian inputs
 * (1,000 x 500), forward only, with weights drawn three ways: std 0.01 (the activations collapse to 0 layer after
 * layer), std 1.0 (every unit saturates at -1 or 1) and Xavier, std 1/sqrt(fan_in) (the distributions stay healthy
 * through all 10 layers). Per layer: the tanh output's mean, std, saturated fraction and histogram over [-1, 1], read
 * by the same {@link LayerProbe} that samples a training run, from a net built by {@link NetConfig} like any other.
 * Double precision (an exact backend), as the lecture's numpy.
 */
public final class InitLesson {
    /** The lecture's net: 10 hidden layers of 500 tanh units. */
    public static final int LAYERS = 10;
    public static final int UNITS = 500;
    /** Rows of unit-gaussian input, as the lecture's {@code np.random.randn(1000, 500)}. */
    public static final int EXAMPLES = 1000;

    /** The three inits and what the lecture reads in their histograms. */
    public enum Case {
        SMALL("W = 0.01 * randn", WeightInit.gaussian(0.01),
                "All activations become zero: each layer multiplies the std by about 0.01 x sqrt(500) = 0.22, and the"
                        + " weights' gradients (inputs x upstream gradient) vanish with them."),
        LARGE("W = 1.0 * randn", WeightInit.gaussian(1.0),
                "Almost all neurons completely saturated at -1 or 1: tanh's gradient there is ~0, so the gradients are all"
                        + " zero and nothing learns."),
        XAVIER("Xavier: W = randn / sqrt(fan_in)", WeightInit.xavier(),
                "Reasonable initialization: the distributions stay healthy through all 10 layers (std 1/sqrt(fan_in) keeps"
                        + " the variance; tanh narrows it only slowly).");

        private final String title;
        private final WeightInit init;
        private final String reading;

        Case(String title, WeightInit init, String reading) {
            this.title = title;
            this.init = init;
            this.reading = reading;
        }

        public String title() {
            return title;
        }

        public WeightInit init() {
            return init;
        }

        /** The lecture's reading of this case's histograms, one sentence. */
        public String reading() {
            return reading;
        }
    }

    /**
     * One hidden layer's tanh output on the batch.
     *
     * @param layer     1 .. 10
     * @param mean      over the batch and the units
     * @param std       over the batch and the units
     * @param saturated the fraction of outputs with |tanh| above 0.98
     * @param values    histogram over [-1, 1] in {@value Histogram#BINS} bins, as the lecture plots them
     */
    public record Layer(int layer, double mean, double std, double saturated, Histogram values) {
        public Layer {
            if (layer < 1 || values == null || !(saturated >= 0 && saturated <= 1)) {
                throw new IllegalArgumentException("layer from 1, a histogram and a fraction: " + layer + ", " + saturated);
            }
        }

        /** "layer  3  mean  0.000012  std 0.0106  saturated   0.0%  -1 [  ...  ] 1". */
        public String line() {
            return String.format(Locale.ROOT, "layer %2d  mean %9s  std %-9s  saturated %5.1f%%  %s", layer,
                    Numbers.significant(mean, 2), Numbers.significant(std, 3), 100 * saturated, values.bars());
        }
    }

    /** One init's row: its input (rows of it, mean, std) and layers. */
    public record Row(Case init, int examples, double inputMean, double inputStd, List<Layer> layers) {
        public Row {
            layers = List.copyOf(layers);
            if (init == null || layers.isEmpty() || examples < 1) {
                throw new IllegalArgumentException("an init, examples and at least one layer");
            }
        }

        public Layer last() {
            return layers.get(layers.size() - 1);
        }

        /** The row as the command line prints it: a title, the input, a line per layer, the lecture's reading. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(init.title() + String.format(Locale.ROOT, "  (input: mean %s, std %s)", Numbers.significant(inputMean, 2),
                    Numbers.significant(inputStd, 3)));
            layers.forEach(l -> out.add("  " + l.line()));
            out.add("  " + init.reading());
            return out;
        }
    }

    private InitLesson() {
    }

    /** The lesson with the lecture's sizes: every case on the same {@value #EXAMPLES} x 500 unit-gaussian input. */
    public static List<Row> run(Gemm gemm, long seed, Progress progress) {
        return run(gemm, seed, EXAMPLES, progress);
    }

    /** The lesson on {@code examples} rows of input (fewer for a quick look; the shape of the numbers holds). */
    public static List<Row> run(Gemm gemm, long seed, int examples, Progress progress) {
        if (examples < 1) {
            throw new IllegalArgumentException("at least 1 example, got " + examples);
        }
        Gemm exact = Gemms.exact(gemm);
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(examples, UNITS);
        for (int k = 0; k < x.data.length; k++) {
            x.data[k] = random.nextGaussian();
        }
        List<Row> rows = new ArrayList<>();
        Case[] cases = Case.values();
        for (int c = 0; c < cases.length; c++) {
            progress.checkCancelled();
            progress.update((double) c / cases.length, "Weight-initialisation lesson: " + cases[c].title());
            rows.add(row(cases[c], exact, seed, x));
        }
        return rows;
    }

    /** One case: the net built as any other, a forward pass in training mode, its layers read by the probe. */
    private static Row row(Case c, Gemm gemm, long seed, DMatrixRMaj x) {
        NetConfig config = new NetConfig(UNITS, java.util.Collections.nCopies(LAYERS, UNITS), 2, Activation.TANH, false, 0,
                c.init(), LossKind.SOFTMAX);
        Net net = config.build(gemm, seed);
        net.scores(x, Mode.TRAIN);
        List<LayerStatistics.Output> outputs = LayerProbe.outputs(net);
        List<Layer> layers = new ArrayList<>();
        for (LayerStatistics.Output o : outputs) {
            if (o.name().endsWith(" tanh")) {
                layers.add(new Layer(layers.size() + 1, o.mean(), o.std(), o.saturated(), o.values()));
            }
        }
        LayerStatistics.Output input = outputs.get(0);
        return new Row(c, x.numRows, input.mean(), input.std(), layers);
    }

    /** Every row's lines, a blank line between rows. */
    public static List<String> lines(List<Row> rows) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "A %d-layer tanh net, %d units per layer, on %d x %d unit-gaussian inputs, forward"
                + " only; histograms of each layer's tanh output over [-1, 1]:", LAYERS, UNITS,
                rows.isEmpty() ? EXAMPLES : rows.get(0).examples(), UNITS));
        for (Row r : rows) {
            out.add("");
            out.addAll(r.lines());
        }
        return out;
    }
}
