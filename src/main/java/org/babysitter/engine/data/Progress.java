package org.babysitter.engine.data;

import java.util.concurrent.CancellationException;

/** Progress reporting and cancellation for long steps (loading, generating, searching). */
public interface Progress {
    /** A fraction in [0, 1] of the step done so far, and what is being done. */
    void update(double fraction, String what);

    /** True once the user asked to stop; long steps poll it and end with a {@link CancellationException}. */
    boolean isCancelled();

    /** Throws {@link CancellationException} if cancelled. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("cancelled");
        }
    }

    /** Reports nothing and is never cancelled. */
    Progress NONE = new Progress() {
        @Override
        public void update(double fraction, String what) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };
}
