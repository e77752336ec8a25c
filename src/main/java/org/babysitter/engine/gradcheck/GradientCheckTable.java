package org.babysitter.engine.gradcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.preprocess.PreparedData;
import org.ejml.data.DMatrixRMaj;

/**
 * A gradient check of every parameter tensor of a net at one reg, as the table the CLI and the app show: per tensor
 * the 1-, 2- and 4-sided relative errors at the tensor's step, the verdict (which reads the 2-sided column), the
 * lecture's band, the step, the entries left out near kinks, and the floor. Lines are at most {@link #WIDTH}
 * characters, so a dialog shows them without a horizontal scroll bar.
 */
public record GradientCheckTable(double reg, GradientCheck.Options options, List<TensorCheck> tensors) {
    /** The longest line the table, legend and summary write. */
    public static final int WIDTH = 110;

    public GradientCheckTable {
        tensors = List.copyOf(tensors);
    }

    /** What a set of tables (reg off, then on) concludes. */
    public enum Outcome {
        PASS, FAIL, INCONCLUSIVE;

        /** The command line's exit code: 0 only for a pass. */
        public int exitCode() {
            return this == PASS ? 0 : 1;
        }
    }

    private static final String ROW = "%-7s %-9s %7s %9s %9s %9s  %-10s %-18s %7s %5s %8s";

    /**
     * The legend, one line per element: the relative error, the lecture's bands, which column the verdict reads and
     * why the others differ, how h, kinks and the floor are found, and the verdict's words.
     */
    public static List<String> legend() {
        return List.of(
                "Relative error |a-n| / max(1e-8, |a|+|n|), analytic a vs numerical n, the largest over a tensor's sampled",
                "entries. The lecture's bands: > 1e-2 probably wrong, 1e-2..1e-4 uneasy, 1e-4..1e-7 ok only with kinks,",
                "<= 1e-7 good. The verdict reads the 2-sided (centred) column, error O(h^2); the 1-sided (O(h)) and",
                "4-sided (O(h^4), but its x+-2h steps reach more kinks) columns are at the same h, for comparison only.",
                "h: per tensor, among 1e-1..1e-7 times the tensor's rms (1 if it is all 0), the step with the smallest",
                "expected error: large enough that round-off stays small, small enough that truncation does.",
                "kinks: entries left out because a ReLU input or an SVM margin changed sign between x-2h and x+2h.",
                "floor: what a correct gradient may show at the worst entry: truncation |2-sided - 4-sided| plus",
                "4 x the loss's rounding noise / h (the noise measured from 4th differences and an off-grid point).",
                "Verdict: good (<= 1e-7), round-off or truncation (above 1e-7 but within the floor: not a bug), FAIL (an",
                "entry above both 1e-7 and its floor, with no kink to blame: the analytic gradient is wrong).");
    }

    /** The legend as one text with line breaks. */
    public static final String LEGEND = String.join("\n", legend());

    /** The table as text lines: "reg = ..", the column headers, one row per tensor, then notes on kinks and failures. */
    /**
     * The lecture's band of each line of {@link #lines()}, for colouring the table: a tensor's row has its band (of its
     * largest centred error), every other line null.
     */
    public List<Band> bands() {
        List<Band> out = new ArrayList<>(java.util.Collections.nCopies(3, (Band) null));
        for (TensorCheck t : tensors) {
            out.add(t.checked().isEmpty() ? null : t.band());
        }
        for (TensorCheck t : tensors) {
            out.addAll(java.util.Collections.nCopies(notes(t).size(), (Band) null));
        }
        return out;
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("reg = " + Numbers.exact(reg) + (options.isAuto() ? "" : ", h = " + Numbers.exact(options.fixedStep())
                + " for every tensor"));
        out.add(String.format(Locale.ROOT, ROW, "", "", "", "compared", "VERDICT", "compared", "", "", "", "", "").stripTrailing());
        out.add(String.format(Locale.ROOT, ROW, "param", "shape", "entries", Difference.ONE_SIDED, Difference.CENTERED,
                Difference.FOUR_POINT, "verdict", "lecture's band", "h", "kinks", "floor").stripTrailing());
        for (TensorCheck t : tensors) {
            boolean any = !t.checked().isEmpty();
            out.add(String.format(Locale.ROOT, ROW, t.name(), t.rows() + "x" + t.cols(), t.entries().size(),
                    error(t.error(Difference.ONE_SIDED)), error(t.centredError()), error(t.error(Difference.FOUR_POINT)),
                    t.verdict(), any ? t.band().words() : "-", Numbers.significant(t.h(), 2), t.nearKinks().size(),
                    any ? String.format(Locale.ROOT, "%.1e", t.floorAtWorst()) : "-").stripTrailing());
        }
        for (TensorCheck t : tensors) {
            out.addAll(notes(t));
        }
        return out;
    }

    private static String error(double e) {
        return String.format(Locale.ROOT, "%.2e", e);
    }

    /** Indented notes under the table: entries left out near kinks, failing entries, why a tensor went unchecked. */
    static List<String> notes(TensorCheck t) {
        List<String> out = new ArrayList<>();
        List<EntryCheck> kinks = t.nearKinks();
        if (!kinks.isEmpty()) {
            double two = kinks.stream().mapToDouble(e -> e.error(Difference.CENTERED)).max().orElse(0);
            double four = kinks.stream().mapToDouble(e -> e.error(Difference.FOUR_POINT)).max().orElse(0);
            out.add(String.format(Locale.ROOT, "  %s: %d of %d entries near a kink, left out; there 2-sided %.2e, 4-sided %.2e",
                    t.name(), kinks.size(), t.entries().size(), two, four));
        }
        List<EntryCheck> failing = t.failing();
        for (EntryCheck e : failing.subList(0, Math.min(3, failing.size()))) {
            out.add(String.format(Locale.ROOT, "  %s: analytic %.4e, 2-sided %.4e: error %.2e > floor %.1e",
                    t.position(e), e.analytic(), e.centred(), e.error(), e.relativeFloor()));
        }
        if (failing.size() > 3) {
            out.add(String.format(Locale.ROOT, "  %s: %d more entries above their floor", t.name(), failing.size() - 3));
        }
        if (t.verdict() == Verdict.UNCHECKED) {
            wrap(out, "  " + t.name() + " unchecked: " + t.uncheckedReason(), "    ");
        }
        return out;
    }

    /** True if every tensor passes (good, round-off or truncation). */
    public boolean passed() {
        return tensors.stream().allMatch(t -> t.verdict().passes());
    }

    /** The largest 2-sided relative error over all tensors, entries near kinks left out. */
    public double worstCentered() {
        return tensors.stream().mapToDouble(TensorCheck::centredError).max().orElse(0);
    }

    /** FAIL if a tensor fails in any table; else INCONCLUSIVE if one went unchecked; else PASS. */
    public static Outcome outcome(List<GradientCheckTable> tables) {
        boolean failed = tables.stream().flatMap(t -> t.tensors().stream()).anyMatch(t -> t.verdict() == Verdict.FAIL);
        if (failed) {
            return Outcome.FAIL;
        }
        boolean unchecked = tables.stream().flatMap(t -> t.tensors().stream()).anyMatch(t -> !t.verdict().passes());
        return unchecked ? Outcome.INCONCLUSIVE : Outcome.PASS;
    }

    /**
     * The conclusion of a set of tables (reg off, then on): which tensors failed or passed and why, and last
     * {@code "worst 2-sided relative error 2.41e-07: PASS"} (FAIL, INCONCLUSIVE).
     */
    public static List<String> summary(List<GradientCheckTable> tables) {
        Outcome outcome = outcome(tables);
        Map<String, List<String>> byVerdict = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            byVerdict.put(v.words(), new ArrayList<>());
        }
        for (GradientCheckTable table : tables) {
            for (TensorCheck t : table.tensors()) {
                String where = t.name() + NO_BREAK + "(reg" + NO_BREAK + Numbers.exact(table.reg()) + ")";
                byVerdict.get(t.verdict().words()).add(where);
            }
        }
        List<String> out = new ArrayList<>();
        switch (outcome) {
            case FAIL -> wrap(out, "FAIL: the analytic gradient disagrees with the loss beyond round-off, truncation and kinks in "
                    + String.join(", ", byVerdict.get(Verdict.FAIL.words())) + ".");
            case INCONCLUSIVE -> wrap(out, "INCONCLUSIVE: no failure, but nothing could be judged in "
                    + String.join(", ", byVerdict.get(Verdict.UNCHECKED.words())) + " (see the notes above).");
            case PASS -> {
                List<String> explained = new ArrayList<>();
                for (Verdict v : List.of(Verdict.ROUND_OFF, Verdict.TRUNCATION)) {
                    if (!byVerdict.get(v.words()).isEmpty()) {
                        explained.add(v.words() + " in " + String.join(", ", byVerdict.get(v.words())));
                    }
                }
                wrap(out, "PASS: every entry away from kinks agrees to 1e-7"
                        + (explained.isEmpty() ? "." : ", or within its floor: " + String.join("; ", explained) + "."));
            }
        }
        double worst = tables.stream().mapToDouble(GradientCheckTable::worstCentered).max().orElse(0);
        out.add(String.format(Locale.ROOT, "worst 2-sided relative error %.2e: %s", worst, outcome));
        return out;
    }

    /** A space {@link #wrap} does not break at. */
    private static final char NO_BREAK = '\u00a0';

    /** Adds {@code text} as lines of at most {@link #WIDTH} characters, broken at spaces. */
    static void wrap(List<String> out, String text) {
        wrap(out, text, "");
    }

    /** The same, lines after the first starting with {@code indent}; leading spaces of {@code text} are kept. */
    static void wrap(List<String> out, String text, String indent) {
        String body = text.stripLeading();
        StringBuilder line = new StringBuilder(text.substring(0, text.length() - body.length()));
        int start = line.length();
        for (String word : body.split(" ")) {
            if (line.length() > start && line.length() + 1 + word.length() > WIDTH) {
                out.add(line.toString().replace(NO_BREAK, ' '));
                line.setLength(0);
                line.append(indent);
                start = line.length();
            }
            if (line.length() > start) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > start) {
            out.add(line.toString().replace(NO_BREAK, ' '));
        }
    }

    /** Checks on the first {@code images} training images of a prepared data set. */
    public static GradientCheckTable compute(Net net, PreparedData data, int images, double reg,
                                             GradientCheck.Options options) {
        CheckBatch b = CheckBatch.of(data, images);
        return compute(net, b.x(), b.labels(), reg, options);
    }

    public static GradientCheckTable compute(Net net, DMatrixRMaj x, int[] labels, double reg,
                                             GradientCheck.Options options) {
        return new GradientCheckTable(reg, options, GradientCheck.check(net, x, labels, reg, options));
    }

}
