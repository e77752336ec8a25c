package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reader's progress that must only go forward; {@link #last()} is where it got to. Never cancels. */
final class ForwardProgress implements Progress {
    private double last;

    @Override
    public void update(double fraction, String what) {
        assertTrue(fraction >= last - 1e-12, "progress goes forward: " + fraction + " after " + last);
        last = fraction;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    double last() {
        return last;
    }
}
