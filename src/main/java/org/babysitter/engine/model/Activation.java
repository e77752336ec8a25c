package org.babysitter.engine.model;

/** The nonlinearities the lecture compares; ReLU is the default. */
public enum Activation {
    RELU("ReLU"), LEAKY_RELU("leaky ReLU"), TANH("tanh"), SIGMOID("sigmoid");

    /** Slope of leaky ReLU for negative inputs. */
    public static final double LEAKY_SLOPE = 0.01;

    private final String label;

    Activation(String label) {
        this.label = label;
    }

    /** The layer, its passes on the calling thread. */
    public Elementwise newLayer() {
        return newLayer(1);
    }

    /** The layer, its passes over large batches shared between up to {@code threads} threads. */
    public Elementwise newLayer(int threads) {
        return switch (this) {
            case RELU -> new Elementwise.Relu(threads);
            case LEAKY_RELU -> new Elementwise.LeakyRelu(LEAKY_SLOPE, threads);
            case TANH -> new Elementwise.Tanh(threads);
            case SIGMOID -> new Elementwise.Sigmoid(threads);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
