package org.babysitter.engine.model;

/**
 * A block of an update's numbers (a slice of a param's values, gradient or a rule's state), for writing an update
 * rule once, numpy style, whatever the param's precision: {@code v.scale(mu).add(-lr, dw)} is
 * {@code v = mu * v - lr * dw}. Every operation works in place over the block's {@link #length()} entries, in the
 * param's precision (float for a weight kept in float, double otherwise), as one vectorizable loop; the two
 * implementations live behind {@link Param}.
 */
public interface Vec {
    /** Entries in this block. */
    int length();

    /** this = a * this. */
    Vec scale(double a);

    /** this += a * x. */
    Vec add(double a, Vec x);

    /** this += a * x^2, entry by entry. */
    Vec addSquare(double a, Vec x);

    /** this = x. */
    Vec set(Vec x);

    /** this = a * x. */
    Vec setScaled(double a, Vec x);

    /** this = a * x / (sqrt(c * y) + eps), entry by entry (RMSProp's and Adam's step). */
    Vec setQuotient(double a, Vec x, Vec y, double c, double eps);
}
