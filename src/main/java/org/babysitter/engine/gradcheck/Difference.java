package org.babysitter.engine.gradcheck;

import java.util.function.DoubleUnaryOperator;

/** Finite-difference formulas for a derivative, by their order of accuracy. */
public enum Difference {
    /** (f(x+h) - f(x)) / h, error O(h). */
    ONE_SIDED("1-sided", 1),
    /** (f(x+h) - f(x-h)) / 2h, error O(h^2): the one to use. */
    CENTERED("2-sided", 2),
    /** (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / 12h, error O(h^4). */
    FOUR_POINT("4-sided", 4);

    private final String label;
    private final int order;

    Difference(String label, int order) {
        this.label = label;
        this.order = order;
    }

    /** The order of accuracy: the error falls as h^order. */
    public int order() {
        return order;
    }

    /** The derivative of {@code f} at {@code x} with step {@code h}. */
    public double derivative(DoubleUnaryOperator f, double x, double h) {
        return switch (this) {
            case ONE_SIDED -> (f.applyAsDouble(x + h) - f.applyAsDouble(x)) / h;
            case CENTERED -> (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
            // the differences first, so a flat f gives exactly 0
            case FOUR_POINT -> (8 * (f.applyAsDouble(x + h) - f.applyAsDouble(x - h))
                    - (f.applyAsDouble(x + 2 * h) - f.applyAsDouble(x - 2 * h))) / (12 * h);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
