package org.babysitter.app.session;

import java.util.List;

/**
 * The outcome of the lecture's sanity checks or a gradient check, as lines of a table, whether it passed, and its verdict
 * in a word (PASS, FAIL, or a gradient check's INCONCLUSIVE).
 */
public record CheckReport(String title, List<String> lines, boolean passed, String verdict) {
    public CheckReport {
        lines = List.copyOf(lines);
    }

    /** "Sanity checks: PASS". */
    public String heading() {
        return title + ": " + verdict;
    }
}
