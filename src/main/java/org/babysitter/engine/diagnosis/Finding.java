package org.babysitter.engine.diagnosis;

import java.util.Locale;

/**
 * One thing the assistant says about a run.
 *
 * @param rule       which rule fired
 * @param severity   a warning (something is wrong) or a note (an explanation, no fault)
 * @param subject    what it is about: "loss", "W1", "layer 2 tanh", ...
 * @param iteration  where in the run it fired (for a marker on the charts)
 * @param measured   the value measured, in words with its number ("loss fell 0.01% in 200 iterations")
 * @param threshold  the threshold it crossed, in words ("< 1%")
 * @param suggestion one concrete thing to do
 * @param fix        the control that does it, where one does
 */
public record Finding(Rule rule, Severity severity, String subject, int iteration, String measured, String threshold,
                      String suggestion, Fix fix) {
    public Finding {
        if (rule == null || severity == null || subject == null || measured == null || threshold == null
                || suggestion == null || fix == null) {
            throw new IllegalArgumentException("a finding names its rule, subject, measurement, threshold and suggestion");
        }
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration >= 0, got " + iteration);
        }
    }

    public enum Severity {
        WARNING, NOTE
    }

    /**
     * What a button next to the finding does: a control 10x lower or higher; the {@code _RESUME} ones also resume a
     * run paused where it was rewound at a break.
     */
    public enum Fix {
        NONE, LOWER_LR_10X, RAISE_LR_10X, RAISE_REG_10X, LOWER_REG_10X, LOWER_LR_10X_RESUME, LOWER_REG_10X_RESUME;

        /** True if the fix also resumes the paused run. */
        public boolean resumes() {
            return this == LOWER_LR_10X_RESUME || this == LOWER_REG_10X_RESUME;
        }
    }

    /** One line: "iteration 200, warning: learning rate too low (loss): loss fell 0.01% ... (threshold < 1%). Raise lr ...". */
    public String line() {
        return String.format(Locale.ROOT, "iteration %d, %s: %s (%s): %s (threshold %s). %s", iteration,
                severity == Severity.WARNING ? "warning" : "note", rule.title(), subject, measured, threshold, suggestion);
    }
}
