package org.babysitter.engine.model;

import java.util.List;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.model.loss.LossKind;

/**
 * The architecture of a fully connected net: {@code {affine - [batch norm] - activation - [dropout]} x L - affine - loss}.
 *
 * @param inputSize   D, 3072 for CIFAR-10
 * @param hiddenSizes the hidden layer widths, e.g. [50] for the lecture's two-layer net
 * @param classes     C, 10 for CIFAR-10
 * @param dropout     probability of dropping a hidden unit in training, 0 for none
 */
public record NetConfig(int inputSize, List<Integer> hiddenSizes, int classes, Activation activation,
                        boolean batchNorm, double dropout, WeightInit init, LossKind loss) {
    public NetConfig {
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + inputSize);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        if (hiddenSizes.isEmpty()) {
            throw new IllegalArgumentException("give at least one hidden layer size, e.g. 50 (or 100,50 for two layers)");
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

    /** The lecture's net: 3072 - 50 - 10, ReLU, std 1e-4 init, softmax. */
    public static NetConfig lecture() {
        return twoLayer(3072, 50, 10);
    }

    public static NetConfig twoLayer(int inputSize, int hidden, int classes) {
        return new NetConfig(inputSize, List.of(hidden), classes, Activation.RELU, false, 0, WeightInit.LECTURE, LossKind.SOFTMAX);
    }

    public NetConfig withHidden(List<Integer> sizes) {
        return new NetConfig(inputSize, sizes, classes, activation, batchNorm, dropout, init, loss);
    }

    public NetConfig withInit(WeightInit i) {
        return new NetConfig(inputSize, hiddenSizes, classes, activation, batchNorm, dropout, i, loss);
    }

    public NetConfig withActivation(Activation a) {
        return new NetConfig(inputSize, hiddenSizes, classes, a, batchNorm, dropout, init, loss);
    }

    public NetConfig withBatchNorm(boolean on) {
        return new NetConfig(inputSize, hiddenSizes, classes, activation, on, dropout, init, loss);
    }

    public NetConfig withDropout(double p) {
        return new NetConfig(inputSize, hiddenSizes, classes, activation, batchNorm, p, init, loss);
    }

    public NetConfig withLoss(LossKind l) {
        return new NetConfig(inputSize, hiddenSizes, classes, activation, batchNorm, dropout, init, l);
    }

    public NetConfig withShape(int in, int c) {
        return new NetConfig(in, hiddenSizes, c, activation, batchNorm, dropout, init, loss);
    }

    /**
     * The net: {@code {affine - [batch norm] - activation - [dropout]} x L - affine} into the loss. With batch norm
     * the hidden affine layers have no bias (beta takes its place).
     */
    public Net build(Gemm gemm, long seed) {
        Net.Builder b = Net.builder(inputSize, gemm, seed);
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
        for (int h : hiddenSizes) {
            count += in * h + (batchNorm ? 2L * h : h);
            in = h;
        }
        return count + in * classes + classes;
    }

    /** "3072-50-10 ReLU, gaussian std 1e-4, softmax". */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputSize);
        hiddenSizes.forEach(h -> sb.append('-').append(h));
        sb.append('-').append(classes).append(' ').append(activation);
        if (batchNorm) {
            sb.append(", batch norm");
        }
        if (dropout > 0) {
            sb.append(", dropout ").append(dropout);
        }
        return sb.append(", ").append(init).append(", ").append(loss).toString();
    }
}
