package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Tick values and labels: readable values, never "0" for a small one, never 2.239, never "0E0", never crowded. */
class AxisTicksTest {
    /** About 7 pixels a character, as an 11-13 px sans-serif font. */
    private static final AxisTicks.Measure MEASURE = s -> 7.0 * s.length();

    private static List<String> labels(List<AxisTicks.Tick> ticks) {
        return ticks.stream().map(AxisTicks.Tick::label).toList();
    }

    /** A label is a 1..9 times a power of ten, written plainly or as "2e-4". */
    private static boolean roundValue(double v) {
        double m = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        return Math.abs(m - Math.rint(m)) < 1e-6;
    }

    @Test
    void aLogAxisBelow1e3LabelsPowersOfTenNotZeros() {
        // the live loss axis on log scale once the loss fell to 1e-5: JFreeChart's "0.###" printed 0 0 0 0
        List<AxisTicks.Tick> ticks = AxisTicks.log(1e-5, 3, 300, true, 13, AxisTicks.LogStyle.PLAIN_OR_POWER, MEASURE);
        assertTrue(ticks.size() >= 3, labels(ticks).toString());
        for (AxisTicks.Tick t : ticks) {
            assertFalse(t.label().equals("0") || t.label().startsWith("0.0000"), labels(ticks).toString());
            assertEquals(t.value(), Double.parseDouble(t.label()), t.value() * 1e-9, "the label reads as its value");
            assertTrue(roundValue(t.value()), t.label());
        }
        assertTrue(labels(ticks).contains("1e-5") || labels(ticks).contains("1e-4"), "below 1e-3, powers of ten: " + labels(ticks));
    }

    @Test
    void aNarrowLogRangeGetsOneTwoFiveNotTenToTheZeroPointThirtyFive() {
        // a loss from 0.4 to 3 on a tall axis: JFreeChart labelled 10^0.35 = 2.239, 1.778, 3.162
        List<AxisTicks.Tick> ticks = AxisTicks.log(0.4, 3, 600, true, 13, AxisTicks.LogStyle.PLAIN_OR_POWER, MEASURE);
        List<String> l = labels(ticks);
        assertTrue(l.containsAll(List.of("0.5", "1", "2")), l.toString());
        ticks.forEach(t -> assertTrue(roundValue(t.value()), t.label()));
        // within one 1..9 step, plain linear steps, still no long decimals
        List<AxisTicks.Tick> narrow = AxisTicks.log(2.1, 2.9, 300, true, 13, AxisTicks.LogStyle.PLAIN_OR_POWER, MEASURE);
        assertTrue(narrow.size() >= 2, labels(narrow).toString());
        narrow.forEach(t -> assertTrue(t.label().length() <= 4, labels(narrow).toString()));
    }

    @Test
    void theRatioAxisWritesPowersAndShowsMoreThanTwoDecadesWhereThereIsRoom() {
        // a 1920 x 1080 export: 800 px for 1e-3 .. 5e-2 in a 22 px font showed only 1e-3 and 1e-2
        List<AxisTicks.Tick> tall = AxisTicks.log(1e-3, 5e-2, 800, true, 26, AxisTicks.LogStyle.POWER, MEASURE);
        assertTrue(tall.size() >= 4, labels(tall).toString());
        assertTrue(labels(tall).containsAll(List.of("1e-3", "2e-3", "5e-3", "1e-2")), labels(tall).toString());
        // many decades on a short axis: whole decades only, every second one if need be, never more than the cap
        List<AxisTicks.Tick> wide = AxisTicks.log(1e-12, 1e3, 150, true, 13, AxisTicks.LogStyle.POWER, MEASURE);
        assertTrue(wide.size() >= 2 && wide.size() <= AxisTicks.MAX_LOG_LABELS, labels(wide).toString());
        wide.forEach(t -> assertTrue(t.label().startsWith("1e"), labels(wide).toString()));
        // and the labels keep their distance
        double perDecade = 150 / 15.0;
        double minGap = Math.log10(wide.get(1).value() / wide.get(0).value()) * perDecade;
        assertTrue(minGap >= AxisTicks.VERTICAL_SPACING * 13, "gap " + minGap);
    }

    @Test
    void aShortLogAxisStillLabelsTwoValues() {
        // presentation mode at 1280 x 800: the ratio plot is ~90 px for 1.5e-4 .. 5e-2
        List<AxisTicks.Tick> ticks = AxisTicks.log(1.5e-4, 5e-2, 90, true, 18, AxisTicks.LogStyle.POWER, MEASURE);
        assertTrue(ticks.size() >= 2, labels(ticks).toString());
    }

    @Test
    void decadesOneApartGetUnlabelledMinorTicks() {
        List<AxisTicks.Tick> ticks = List.of(new AxisTicks.Tick(1e-3, "1e-3"), new AxisTicks.Tick(1e-2, "1e-2"));
        List<Double> minor = AxisTicks.logMinor(ticks, 1e-3, 1e-2);
        assertEquals(8, minor.size());
        assertEquals(2e-3, minor.get(0), 1e-12);
        assertTrue(AxisTicks.logMinor(List.of(new AxisTicks.Tick(1, "1"), new AxisTicks.Tick(2, "2")), 1, 2).isEmpty());
    }

    @Test
    void aDivergedLossOnALinearAxisReadsInPowersOfTenNotE() {
        // a loss of 5.5e12 after 2.3: JFreeChart wrote 5.5E12 ... 0E0
        List<AxisTicks.Tick> ticks = AxisTicks.linear(0, 5.8e12, 250, true, false, 13, MEASURE);
        List<String> l = labels(ticks);
        assertTrue(l.contains("0") && l.contains("1e12") || l.contains("2e12"), l.toString());
        l.forEach(s -> assertFalse(s.contains("E"), l.toString()));
        ticks.forEach(t -> assertEquals(t.value(), Double.parseDouble(t.label()), Math.abs(t.value()) * 1e-12));
    }

    @Test
    void theAccuracyAxisAt1920x1080HasAboutTenLabelsNotFiftyOne() {
        // 800 px of plot, a 22 px tick font (26 px lines): JFreeChart chose 0.02 steps, 51 labels
        List<AxisTicks.Tick> ticks = AxisTicks.linear(0, 1.05, 800, true, false, 26, MEASURE);
        assertTrue(ticks.size() >= 6 && ticks.size() <= 12, labels(ticks).toString());
        assertTrue(labels(ticks).contains("1.0"), labels(ticks).toString());
        assertEquals("0.0", ticks.get(0).label());
        // the same axis in the window, 170 px, 13 px lines: still 0 .. 1.0, fewer steps
        List<AxisTicks.Tick> small = AxisTicks.linear(0, 1.05, 170, true, false, 13, MEASURE);
        assertTrue(labels(small).contains("1.0") && small.size() >= 3 && small.size() <= 6, labels(small).toString());
    }

    @Test
    void stepsAreWrittenWithTheirOwnDecimalsAndGrouping() {
        assertEquals("0.3", AxisTicks.linearLabel(new BigDecimal("0.1").multiply(BigDecimal.valueOf(3)), new BigDecimal("0.1"), 1));
        assertEquals("1,500", AxisTicks.linearLabel(BigDecimal.valueOf(1500), BigDecimal.valueOf(500), 2000));
        assertEquals("-125,000", AxisTicks.linearLabel(BigDecimal.valueOf(-125_000), BigDecimal.valueOf(5000), 200_000));
        assertEquals("500", AxisTicks.linearLabel(BigDecimal.valueOf(500), BigDecimal.valueOf(100), 2000));
        assertEquals("0.25", AxisTicks.linearLabel(new BigDecimal("0.25"), new BigDecimal("0.05"), 1));
        assertEquals("2e-5", AxisTicks.linearLabel(new BigDecimal("0.00002"), new BigDecimal("0.00001"), 9e-5));
        assertEquals("5.5e12", AxisTicks.power(new BigDecimal("5.5e12")));
        assertEquals(new BigDecimal("2"), AxisTicks.nextNice(BigDecimal.ONE));
        assertEquals(0, new BigDecimal("10").compareTo(AxisTicks.nextNice(new BigDecimal("5"))));
        assertEquals(0, new BigDecimal("0.2").compareTo(AxisTicks.niceAtLeast(0.15)));
    }

    @Test
    void horizontalLabelsKeepTwoEmsApart() {
        // iterations 0 .. 25,000 over 400 px with 7 px characters: "25,000" is 42 px wide
        List<AxisTicks.Tick> ticks = AxisTicks.linear(0, 25_000, 400, false, true, 13, MEASURE);
        double px = (ticks.get(1).value() - ticks.get(0).value()) / 25_000 * 400;
        assertTrue(px >= 42 + 26, labels(ticks) + " at " + px + " px");
        // integer axes never step below 1
        List<AxisTicks.Tick> epochs = AxisTicks.linear(0, 2, 800, false, true, 13, MEASURE);
        assertEquals(List.of("0", "1", "2"), labels(epochs));
    }

    @Test
    void anAxisLabelTooLongForItsAxisGivesWayToItsShortForm() {
        assertEquals("norm(update) / norm(W)", AxisTicks.fitLabel("norm(update) / norm(W)", "update / W", 300, MEASURE));
        assertEquals("update / W", AxisTicks.fitLabel("norm(update) / norm(W)", "update / W", 120, MEASURE));
        assertEquals("loss", AxisTicks.fitLabel("loss", null, 10, MEASURE));
    }
}
