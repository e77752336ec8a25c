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

    public Elementwise newLayer() {
        return switch (this) {
            case RELU -> new Elementwise.Relu();
            case LEAKY_RELU -> new Elementwise.LeakyRelu(LEAKY_SLOPE);
            case TANH -> new Elementwise.Tanh();
            case SIGMOID -> new Elementwise.Sigmoid();
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
