package org.babysitter.engine.model;

import java.util.List;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.model.loss.LossKind;

/**
 * The architecture of a net: {@code {conv - [spatial batch norm] - activation - [pool]} x K - {affine - [batch norm] -
 * activation - [dropout]} x L - affine - loss}. Without conv stages it is the lecture's fully connected net; with
 * them the input is an RGB image (3 x side x side, side = sqrt(inputSize / 3)).
 *
 * @param inputSize   D, 3072 for CIFAR-10
 * @param hiddenSizes the hidden layer widths, e.g. [50] for the lecture's two-layer net (may be empty after conv stages)
 * @param classes     C, 10 for CIFAR-10
 * @param dropout     probability of dropping a hidden unit in training, 0 for none
 * @param conv        the convolutional stages before the hidden layers, empty for a fully connected net (null, as
 *                    in runs recorded before conv nets: empty)
 */
public record NetConfig(int inputSize, List<Integer> hiddenSizes, int classes, Activation activation,
                        boolean batchNorm, double dropout, WeightInit init, LossKind loss, List<ConvStage> conv) {
    public NetConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + inputSize);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        conv = conv == null ? List.of() : List.copyOf(conv);
        if (hiddenSizes.isEmpty() && conv.isEmpty()) {
            throw new IllegalArgumentException("give at least one hidden layer size, e.g. 50 (or 100,50 for two layers)");
        }
        if (!conv.isEmpty()) {
            Volume v = imageVolume(inputSize);
            for (ConvStage stage : conv) {
                try {
                    v = stage.output(v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + stage + "' over " + v + ": " + e.getMessage(), e);
                }
            }
        }
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be positive, got " + hiddenSizes);
            }
        }
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        if (activation == null || init == null || loss == null) {
            throw new IllegalArgumentException("activation, init and loss must be given");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** A fully connected net. */
    public NetConfig(int inputSize, List<Integer> hiddenSizes, int classes, Activation activation, boolean batchNorm,
                     double dropout, WeightInit init, LossKind loss) {
        this(inputSize, hiddenSizes, classes, activation, batchNorm, dropout, init, loss, List.of());
    }

    /** The RGB image of {@code inputSize} values: 3 x side x side; a clear error if it is not one. */
    public static Volume imageVolume(int inputSize) {
        int side = (int) Math.round(Math.sqrt(inputSize / 3.0));
        if (inputSize % 3 != 0 || 3 * side * side != inputSize) {
            throw new IllegalArgumentException("conv stages need square RGB images (3 x side x side values), not inputs of "
                    + inputSize + " values");
        }
        return new Volume(3, side, side);
    }

    /** ConvNetJS's CIFAR-10 net: three conv 5x5 (16, 20, 20 filters, pad 2) - ReLU - pool 2 stages, then softmax. */
    public static NetConfig convnetjs(int inputSize, int classes) {
        return new NetConfig(inputSize, List.of(), classes, Activation.RELU, false, 0, new WeightInit(WeightInit.Kind.HE, 0),
                LossKind.SOFTMAX, ConvStage.CONVNETJS);
    }

    /** The lecture's net: 3072 - 50 - 10, ReLU, std 1e-4 init, softmax. */
    public static NetConfig lecture() {
        return twoLayer(3072, 50, 10);
    }

    public static NetConfig twoLayer(int inputSize, int hidden, int classes) {
        return new NetConfig(inputSize, List.of(hidden), classes, Activation.RELU, false, 0, WeightInit.LECTURE, LossKind.SOFTMAX);
    }

    public NetConfig withHidden(List<Integer> sizes) {
        return new NetConfig(inputSize, sizes, classes, activation, batchNorm, dropout, init, loss, conv);
    }

    public NetConfig withInit(WeightInit i) {
        return new NetConfig(inputSize, hiddenSizes, classes, activation, batchNorm, dropout, i, loss, conv);
    }

    public NetConfig withActivation(Activation a) {
        return new NetConfig(inputSize, hiddenSizes, classes, a, batchNorm, dropout, init, loss, conv);
    }

    public NetConfig withBatchNorm(boolean on) {
        return new NetConfig(inputSize, hiddenSizes, classes, activation, on, dropout, init, loss, conv);
    }

    public NetConfig withDropout(double p) {
        return new NetConfig(inputSize, hiddenSizes, classes, activation, batchNorm, p, init, loss, conv);
    }

    public NetConfig withLoss(LossKind l) {
        return new NetConfig(inputSize, hiddenSizes, classes, activation, batchNorm, dropout, init, l, conv);
    }

    public NetConfig withConv(List<ConvStage> stages) {
        return new NetConfig(inputSize, hiddenSizes, classes, activation, batchNorm, dropout, init, loss, stages);
    }

    public NetConfig withShape(int in, int c) {
        return new NetConfig(in, hiddenSizes, c, activation, batchNorm, dropout, init, loss, conv);
    }

    /**
     * The net: {@code {affine - [batch norm] - activation - [dropout]} x L - affine} into the loss. With batch norm
     * the hidden affine layers have no bias (beta takes its place).
     */
    public Net build(Gemm gemm, long seed) {
        Net.Builder b = Net.builder(inputSize, gemm, seed);
        if (!conv.isEmpty()) {
            b.image(imageVolume(inputSize));
            for (ConvStage stage : conv) {
                b.conv(stage.filters(), stage.kernel(), stage.stride(), stage.pad(), init, !batchNorm);
                if (batchNorm) {
                    b.spatialBatchNorm();
                }
                b.activation(activation);
                if (stage.pool() > 0) {
                    b.maxPool(stage.pool());
                }
            }
        }
        for (int h : hiddenSizes) {
            b.affine(h, init, !batchNorm);
            if (batchNorm) {
                b.batchNorm();
            }
            b.activation(activation);
            if (dropout > 0) {
                b.dropout(dropout);
            }
        }
        b.affine(classes, init, true);
        return b.build(loss, describe());
    }

    /** Learned numbers in the net: weights, biases, batch norm's scales and shifts. */
    public long parameterCount() {
        long count = 0;
        long in = inputSize;
        if (!conv.isEmpty()) {
            Volume v = imageVolume(inputSize);
            for (ConvStage stage : conv) {
                count += (long) v.channels() * stage.kernel() * stage.kernel() * stage.filters() + (batchNorm ? 2L : 1L) * stage.filters();
                v = stage.output(v);
            }
            in = v.size();
        }
        for (int h : hiddenSizes) {
            count += in * h + (batchNorm ? 2L * h : h);
            in = h;
        }
        return count + in * classes + classes;
    }

    /** The layers' sizes: "3072-50-10"; with conv stages "3x32x32-conv 5x5x16 pad 2 pool 2-...-10". */
    public String layout() {
        StringBuilder sb = new StringBuilder();
        if (conv.isEmpty()) {
            sb.append(inputSize);
        } else {
            sb.append(imageVolume(inputSize));
            conv.forEach(c -> sb.append('-').append(c));
        }
        hiddenSizes.forEach(h -> sb.append('-').append(h));
        return sb.append('-').append(classes).toString();
    }

    /** "3072-50-10 ReLU, gaussian std 1e-4, softmax"; with conv stages "3x32x32-conv 5x5x16 pad 2 pool 2-...-10 ReLU, ...". */
    public String describe() {
        StringBuilder sb = new StringBuilder(layout()).append(' ').append(activation);
        if (batchNorm) {
            sb.append(", batch norm");
        }
        if (dropout > 0) {
            sb.append(", dropout ").append(dropout);
        }
        return sb.append(", ").append(init).append(", ").append(loss).toString();
    }
}
