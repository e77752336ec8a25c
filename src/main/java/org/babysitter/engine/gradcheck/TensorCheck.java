package org.babysitter.engine.gradcheck;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One parameter tensor checked: its sampled entries at the step h chosen for it. The verdict reads the centred
 * errors of the entries away from kinks (the lecture's relative error, largest over them); an entry fails when its
 * error is above both 1e-7 and its floor.
 *
 * @param scale the tensor's size the step was chosen relative to: the rms of its values, 1 if they are all 0
 * @param h     the step of the differences
 * @param noise the loss's rounding noise (standard deviation) measured from its 4th differences at this step
 */
public record TensorCheck(String name, int rows, int cols, double scale, double h, double noise,
                          List<EntryCheck> entries) {
    public TensorCheck {
        entries = List.copyOf(entries);
    }

    /** Entries in the tensor. */
    public int size() {
        return rows * cols;
    }

    /** The entries the verdict reads: those whose steps crossed no kink. */
    public List<EntryCheck> checked() {
        return entries.stream().filter(e -> !e.nearKink()).toList();
    }

    /** Entries left out because a kink lay between x-2h and x+2h. */
    public List<EntryCheck> nearKinks() {
        return entries.stream().filter(EntryCheck::nearKink).toList();
    }

    /** The largest relative error over the checked entries for one difference (0 if none). */
    public double error(Difference d) {
        return checked().stream().mapToDouble(e -> e.error(d)).max().orElse(0);
    }

    /** The largest centred relative error over the checked entries: the verdict's number. */
    public double centredError() {
        return error(Difference.CENTERED);
    }

    /** The checked entry with the largest centred error, or null if every entry was near a kink. */
    public EntryCheck worst() {
        return checked().stream().max(Comparator.comparingDouble((EntryCheck e) -> e.error())).orElse(null);
    }

    /** The floor of the worst entry, relative: what a correct gradient may show there (0 if none). */
    public double floorAtWorst() {
        EntryCheck w = worst();
        return w == null ? 0 : w.relativeFloor();
    }

    /** Checked entries above both 1e-7 and their floor, worst first. */
    public List<EntryCheck> failing() {
        return checked().stream().filter(e -> !e.explained())
                .sorted(Comparator.comparingDouble((EntryCheck e) -> e.error()).reversed()).toList();
    }

    /** The lecture's band of the centred error. */
    public Band band() {
        return Band.of(centredError());
    }

    public Verdict verdict() {
        if (!failing().isEmpty()) {
            return Verdict.FAIL;
        }
        List<EntryCheck> checked = checked();
        if (checked.isEmpty() || checked.stream().noneMatch(EntryCheck::resolved)) {
            return Verdict.UNCHECKED;
        }
        EntryCheck w = worst();
        if (w.error() <= Band.GOOD_BELOW) {
            return Verdict.GOOD;
        }
        return w.truncation() > w.roundOff() ? Verdict.TRUNCATION : Verdict.ROUND_OFF;
    }

    /** Why nothing could be judged, for an {@linkplain Verdict#UNCHECKED unchecked} tensor; null otherwise. */
    public String uncheckedReason() {
        if (verdict() != Verdict.UNCHECKED) {
            return null;
        }
        if (checked().isEmpty()) {
            return "every sampled entry had a kink within x+-2h; check more entries or other images";
        }
        return "no entry's numerical derivative is precise to 1e-4 (the best floor is " + String.format(Locale.ROOT,
                "%.1e", checked().stream().mapToDouble(EntryCheck::relativeFloor).min().orElse(0))
                + "): at this h the loss moves too little for its rounding (gradients too small)";
    }

    /** An entry's place, e.g. "W1[1234,7]", or "b1[7]" for a row vector. */
    public String position(EntryCheck e) {
        int r = e.index() / cols;
        int c = e.index() % cols;
        return rows == 1 ? name + "[" + c + "]" : name + "[" + r + "," + c + "]";
    }
}
