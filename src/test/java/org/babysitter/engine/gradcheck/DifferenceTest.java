package org.babysitter.engine.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The three differences show their orders of accuracy on a smooth function: halving h divides the error by 2^order. */
class DifferenceTest {
    private static final DoubleUnaryOperator F = x -> Math.sin(x) * Math.exp(x);
    private static final double X = 0.7;
    private static final double EXACT = Math.exp(X) * (Math.sin(X) + Math.cos(X));

    @ParameterizedTest
    @EnumSource(Difference.class)
    void errorFallsAsHToTheOrder(Difference d) {
        double h = d == Difference.FOUR_POINT ? 0.2 : 0.02;
        double e1 = Math.abs(d.derivative(F, X, h) - EXACT);
        double e2 = Math.abs(d.derivative(F, X, h / 2) - EXACT);
        double e4 = Math.abs(d.derivative(F, X, h / 4) - EXACT);
        double slope1 = Math.log(e1 / e2) / Math.log(2);
        double slope2 = Math.log(e2 / e4) / Math.log(2);
        assertEquals(d.order(), slope1, 0.15, d + " observed order " + slope1);
        assertEquals(d.order(), slope2, 0.15, d + " observed order " + slope2);
    }

    @Test
    void relativeErrorIsTheLecturesFormula() {
        assertEquals(0.5 / 2.5, GradientCheck.relativeError(1.0, 1.5), 1e-15);
        assertEquals(0, GradientCheck.relativeError(0, 0));
        // the 1e-8 floor keeps two tiny numbers from looking wrong
        assertEquals(1e-12 / 1e-8, GradientCheck.relativeError(1e-12, 0), 1e-15);
        assertEquals(0.2, GradientCheck.relativeError(new double[] {1, 1}, new double[] {1, 1.5}), 1e-15);
    }
}
