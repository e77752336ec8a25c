package org.babysitter.app.session;

import java.util.List;

/** The outcome of the lecture's sanity checks or a gradient check, as lines of a table, and whether it passed. */
public record CheckReport(String title, List<String> lines, boolean passed) {
    public CheckReport {
        lines = List.copyOf(lines);
    }

    /** "Sanity checks: PASS". */
    public String heading() {
        return title + (passed ? ": PASS" : ": FAIL");
    }
}
