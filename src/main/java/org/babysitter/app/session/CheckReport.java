package org.babysitter.app.session;

import java.util.List;

import org.babysitter.engine.gradcheck.Band;

/**
 * The outcome of a check (the gradient check), as lines of a table, whether it passed, and its verdict in a word (PASS,
 * FAIL, or a gradient check's INCONCLUSIVE).
 *
 * @param bands the name of the lecture's band of each line, for colour (a gradient check's tensor rows; "" for the
 *              other lines), or an empty list when no line has one; read with {@link #band}
 */
public record CheckReport(String title, List<String> lines, boolean passed, String verdict, List<String> bands) {
    public CheckReport {
        lines = List.copyOf(lines);
        bands = List.copyOf(bands);
        if (!bands.isEmpty() && bands.size() != lines.size()) {
            throw new IllegalArgumentException(lines.size() + " lines but " + bands.size() + " bands");
        }
    }

    public CheckReport(String title, List<String> lines, boolean passed, String verdict) {
        this(title, lines, passed, verdict, List.of());
    }

    /** "Gradient check: PASS". */
    public String heading() {
        return title + ": " + verdict;
    }

    /** Bands as names ("" for a line without one), from a list that holds null for those lines. */
    public static List<String> names(List<Band> bands) {
        return bands.stream().map(b -> b == null ? "" : b.name()).toList();
    }

    /** The band of line i, or null. */
    public Band band(int i) {
        return bands.isEmpty() || bands.get(i).isEmpty() ? null : Band.valueOf(bands.get(i));
    }
}
