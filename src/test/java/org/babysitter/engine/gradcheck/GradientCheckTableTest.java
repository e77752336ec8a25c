package org.babysitter.engine.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The table's words and layout: the lecture's bands, which column the verdict reads, lines a dialog shows whole. */
class GradientCheckTableTest {
    private static final GradientCheck.Options AUTO = GradientCheck.Options.auto(20, 0);

    /** An entry with the given analytic and numerical derivatives (all three differences alike) and floor parts. */
    private static EntryCheck entry(int index, double analytic, double numerical, double roundOff, double truncation,
                                    boolean kink) {
        return new EntryCheck(index, analytic, numerical, numerical, numerical, kink, roundOff, truncation);
    }

    private static TensorCheck tensor(String name, int rows, int cols, EntryCheck... entries) {
        return new TensorCheck(name, rows, cols, 1e-4, 1e-5, 1e-16, List.of(entries));
    }

    @Test
    void bandsAreTheLectures() {
        assertEquals(Band.WRONG, Band.of(0.5));
        assertEquals(Band.WRONG, Band.of(Double.NaN));
        assertEquals(Band.UNEASY, Band.of(1e-2));
        assertEquals(Band.UNEASY, Band.of(2e-4));
        assertEquals(Band.OK_WITH_KINKS, Band.of(1e-4));
        assertEquals(Band.OK_WITH_KINKS, Band.of(2e-7));
        assertEquals(Band.GOOD, Band.of(1e-7));
        assertEquals(Band.GOOD, Band.of(0));
        assertEquals("ok only with kinks", Band.OK_WITH_KINKS.words());
    }

    @Test
    void anErrorAboveItsFloorFailsOneWithinItIsRoundOffOrTruncation() {
        // 1e-6 relative, floor 2.5e-6 relative: round-off
        TensorCheck roundOff = tensor("W1", 2, 2, entry(0, 1.0e-3, 1.000002e-3, 5e-9, 0, false));
        assertEquals(Verdict.ROUND_OFF, roundOff.verdict());
        assertEquals(Band.OK_WITH_KINKS, roundOff.band());
        TensorCheck truncation = tensor("W1", 2, 2, entry(0, 1.0e-3, 1.000002e-3, 1e-10, 5e-9, false));
        assertEquals(Verdict.TRUNCATION, truncation.verdict());
        // the same error with a floor ten times smaller: no excuse left
        TensorCheck wrong = tensor("W1", 2, 2, entry(0, 1.0e-3, 1.000002e-3, 5e-10, 0, false));
        assertEquals(Verdict.FAIL, wrong.verdict());
        assertEquals(List.of(wrong.entries().get(0)), wrong.failing());
        // at most 1e-7 is good whatever the floor
        assertEquals(Verdict.GOOD, tensor("b1", 1, 2, entry(1, 1.0, 1.0 + 1e-7, 0, 0, false)).verdict());
        // an entry near a kink is left out, even a wrong-looking one
        TensorCheck kinked = tensor("b1", 1, 2, entry(0, 1.0, 0.5, 0, 0, true), entry(1, 1.0, 1.0, 1e-12, 0, false));
        assertEquals(Verdict.GOOD, kinked.verdict());
        assertEquals(0, kinked.centredError());
        assertEquals(1, kinked.nearKinks().size());
    }

    @Test
    void theVerdictsColumnIsMarkedAndEveryLineFitsADialog() {
        List<TensorCheck> tensors = List.of(
                tensor("W1", 3072, 1000, entry(7, 1e-3, 1.000002e-3, 5e-9, 0, false), entry(3, 1e-3, 2e-3, 0, 0, true)),
                tensor("gamma12", 1, 1000, entry(999, 1e-3, 3e-3, 1e-15, 0, false), entry(5, 1e-3, 2e-3, 1e-15, 0, false),
                        entry(6, 1e-3, 2e-3, 1e-15, 0, false), entry(8, 1e-3, 2e-3, 1e-15, 0, false)),
                tensor("b1", 1, 50, entry(0, 0.5, 0.6, 0, 0, true)));
        GradientCheckTable t = new GradientCheckTable(0.1, AUTO, tensors);
        List<String> all = new ArrayList<>(GradientCheckTable.legend());
        all.addAll(t.lines());
        all.addAll(GradientCheckTable.summary(List.of(t)));
        for (String line : all) {
            assertTrue(line.length() <= GradientCheckTable.WIDTH, line.length() + ": " + line);
        }
        String marks = t.lines().get(1);
        String header = t.lines().get(2);
        assertTrue(header.matches("param\\s+shape\\s+entries\\s+1-sided\\s+2-sided\\s+4-sided\\s+verdict.*"), header);
        // "VERDICT" ends where "2-sided" ends, "compared" over the other two
        assertEquals(header.indexOf("2-sided") + "2-sided".length(), marks.indexOf("VERDICT") + "VERDICT".length(), marks);
        assertEquals(header.indexOf("1-sided") + "1-sided".length(), marks.indexOf("compared") + "compared".length(), marks);
        assertEquals(header.indexOf("4-sided") + "4-sided".length(), marks.lastIndexOf("compared") + "compared".length(), marks);
        // a band for each tensor's row and for no other line: W1 (its entry away from the kink: 1e-6), gamma12, b1 (all
        // its entries at kinks: no band)
        List<Band> bands = t.bands();
        assertEquals(t.lines().size(), bands.size());
        assertEquals(java.util.Arrays.asList(null, null, null, Band.OK_WITH_KINKS, Band.WRONG, null), bands.subList(0, 6));
        assertTrue(bands.subList(6, bands.size()).stream().allMatch(java.util.Objects::isNull), bands.toString());
        String w1 = t.lines().get(3);
        assertTrue(w1.matches("W1\\s+3072x1000\\s+2\\s+(\\d\\.\\d{2}e-\\d{2}\\s+){3}round-off\\s+ok only with kinks\\s+1e-5\\s+1\\s+.*"), w1);
        String text = String.join("\n", all);
        assertTrue(text.contains("  W1: 1 of 2 entries near a kink, left out; there 2-sided 3.33e-01, 4-sided 3.33e-01"), text);
        assertTrue(text.contains("  gamma12[999]: analytic 1.0000e-03, 2-sided 3.0000e-03: error 5.00e-01 > floor 2.5e-13"), text);
        assertTrue(text.contains("  gamma12: 1 more entries above their floor"), text);
        assertTrue(text.contains("  b1 unchecked: every sampled entry had a kink"), text);
        assertTrue(t.lines().stream().anyMatch(l -> l.startsWith("b1 ") && l.contains("unchecked  -")), text);
        List<String> summary = GradientCheckTable.summary(List.of(t));
        assertEquals(List.of("FAIL: the analytic gradient disagrees with the loss beyond round-off, truncation and kinks in",
                "gamma12 (reg 0.1).", "worst 2-sided relative error 5.00e-01: FAIL"), summary);
    }

    @Test
    void thePassLineNamesWhatRoundOffExplains() {
        GradientCheckTable off = new GradientCheckTable(0, AUTO, List.of(
                tensor("W1", 2, 2, entry(0, 1.0e-3, 1.000002e-3, 5e-9, 0, false)),
                tensor("b1", 1, 2, entry(0, 1.0, 1.0, 1e-15, 0, false))));
        GradientCheckTable on = new GradientCheckTable(0.1, AUTO, List.of(
                tensor("W1", 2, 2, entry(0, 1.0e-3, 1.0e-3, 5e-9, 0, false)),
                tensor("b1", 1, 2, entry(0, 1.0, 1.0, 1e-15, 0, false))));
        assertEquals(GradientCheckTable.Outcome.PASS, GradientCheckTable.outcome(List.of(off, on)));
        assertEquals(0, GradientCheckTable.Outcome.PASS.exitCode());
        assertEquals(1, GradientCheckTable.Outcome.FAIL.exitCode());
        assertEquals(List.of("PASS: every entry away from kinks agrees to 1e-7, or within its floor: round-off in W1 (reg 0).",
                "worst 2-sided relative error 1.00e-06: PASS"), GradientCheckTable.summary(List.of(off, on)));
        assertEquals("reg = 0.1", on.lines().get(0));
        assertEquals("reg = 0, h = 1e-5 for every tensor",
                new GradientCheckTable(0, GradientCheck.Options.fixedStep(1e-5, 20, 0), off.tensors()).lines().get(0));
    }

    @Test
    void theLegendGivesTheBandsAndWhyTheColumnsDiffer() {
        String legend = GradientCheckTable.LEGEND;
        assertTrue(legend.contains("> 1e-2 probably wrong, 1e-2..1e-4 uneasy, 1e-4..1e-7 ok only with kinks"), legend);
        assertTrue(legend.contains("The verdict reads the 2-sided (centred) column, error O(h^2)"), legend);
        assertTrue(legend.contains("1-sided (O(h))"), legend);
        assertTrue(legend.contains("4-sided (O(h^4), but its x+-2h steps reach more kinks)"), legend);
        assertEquals(String.join("\n", GradientCheckTable.legend()), legend);
    }
}
