package org.babysitter.engine.search;

/** How a trial ended. */
public enum TrialState {
    /** All its epochs ran. */
    DONE,
    /** The lecture's early break: NaN, inf or a loss above 3x the first. */
    DIVERGED,
    /** A pruner stopped it after an epoch. */
    PRUNED,
    /** It threw: the reason says what. */
    FAILED,
    /** Stopped from outside (the search was cancelled) before its last epoch. */
    CANCELLED;

    /** Lower case, as printed. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
