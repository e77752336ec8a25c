package org.babysitter.engine.runs;

import java.util.Locale;

/** Where a recorded run is in its life. Only {@link #RUNNING} changes; the others are how it ended. */
public enum RunState {
    /** Training now, in the process that owns it. */
    RUNNING,
    /** All epochs done. */
    FINISHED,
    /** Stopped early (the stop button, Ctrl-C). */
    STOPPED,
    /** Ended by a divergence (NaN, inf, loss above 3x the first). */
    DIVERGED,
    /** Ended by an error (out of memory, a failed write). */
    FAILED,
    /** Its process ended without saying how the run ended (killed, crashed): found so on opening the store. */
    INTERRUPTED;

    /** The state as stored and printed: "running", "finished", ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RunState of(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
