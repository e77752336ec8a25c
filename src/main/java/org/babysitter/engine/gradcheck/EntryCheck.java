package org.babysitter.engine.gradcheck;

/**
 * One sampled entry of a tensor, checked at its tensor's step h: the analytic derivative, the three numerical ones,
 * whether the steps passed a kink, and the floor: how far the centred difference itself may be from the true
 * derivative (absolute; {@link #relativeFloor()} in the relative error's terms).
 *
 * @param index     the entry's position in the tensor's row-major data
 * @param nearKink  a kink lies between x-2h and x+2h (a ReLU input or an SVM margin changed sign): left out
 * @param roundOff  a bound on the differences' rounding error: 4 times the loss's rounding noise / h
 * @param truncation |2-sided - 4-sided|: the centred difference's O(h^2) error as the 4-point one measures it
 */
public record EntryCheck(int index, double analytic, double oneSided, double centred, double fourPoint,
                         boolean nearKink, double roundOff, double truncation) {

    /** The numerical derivative by one difference. */
    public double numerical(Difference d) {
        return switch (d) {
            case ONE_SIDED -> oneSided;
            case CENTERED -> centred;
            case FOUR_POINT -> fourPoint;
        };
    }

    /** The lecture's relative error against one difference. */
    public double error(Difference d) {
        return GradientCheck.relativeError(analytic, numerical(d));
    }

    /** The centred relative error: what the verdict reads. */
    public double error() {
        return error(Difference.CENTERED);
    }

    /** The floor, round-off plus truncation, absolute. */
    public double floor() {
        return roundOff + truncation;
    }

    /** The floor in the relative error's denominator {@code max(1e-8, |a| + |n|)}. */
    public double relativeFloor() {
        return floor() / Math.max(GradientCheck.DENOMINATOR_FLOOR, Math.abs(analytic) + Math.abs(centred));
    }

    /** The error is good (at most 1e-7) or no larger than the floor: no sign of a wrong gradient. */
    public boolean explained() {
        double e = error();
        return e <= Band.GOOD_BELOW || e <= relativeFloor();
    }

    /** The loss did not move at all within x+-2h and the analytic derivative is exactly 0: they agree exactly. */
    public boolean exactlyZero() {
        return analytic == 0 && oneSided == 0 && centred == 0 && fourPoint == 0;
    }

    /** Precise enough to read in the lecture's bands: its floor is below 1e-4, or it is {@linkplain #exactlyZero exactly 0}. */
    public boolean resolved() {
        return exactlyZero() || relativeFloor() < Band.KINKS_BELOW;
    }
}
