package org.babysitter.engine.gradcheck;

/** What a check concludes about one tensor's analytic gradient. */
public enum Verdict {
    /** Every checked entry's centred error is at most 1e-7. */
    GOOD("good", true),
    /** Some errors are above 1e-7 but each within its floor, which round-off dominates: not a bug. */
    ROUND_OFF("round-off", true),
    /** Some errors are above 1e-7 but each within its floor, which truncation (h too large for the curvature) dominates. */
    TRUNCATION("truncation", true),
    /** An entry's error is above both 1e-7 and its floor: the analytic gradient disagrees with the loss. */
    FAIL("FAIL", false),
    /** Nothing could be judged: every entry was near a kink, or no entry's numerical derivative was precise enough. */
    UNCHECKED("unchecked", false);

    private final String words;
    private final boolean passes;

    Verdict(String words, boolean passes) {
        this.words = words;
        this.passes = passes;
    }

    public String words() {
        return words;
    }

    /** True for good, round-off and truncation. */
    public boolean passes() {
        return passes;
    }

    @Override
    public String toString() {
        return words;
    }
}
