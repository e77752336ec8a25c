package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Where the labels of reference lines and control markers go: inside the plot, never on top of each other. */
class ChartMarksTest {
    private static final Rectangle2D PLOT = new Rectangle2D.Double(60, 30, 800, 250);

    private static void assertInsideAndApart(ChartMarks.Placed[] placed, Rectangle2D area) {
        List<Rectangle2D> boxes = new ArrayList<>();
        for (ChartMarks.Placed p : placed) {
            if (p != null) {
                Rectangle2D b = p.box();
                assertTrue(area.contains(b), b + " outside " + area);
                for (Rectangle2D o : boxes) {
                    assertFalse(o.intersects(b), o + " and " + b + " overlap");
                }
                boxes.add(b);
            }
        }
    }

    @Test
    void markersCloseTogetherAreStaggeredNotPiledUp() {
        // six lr changes within 30 pixels, as when a user tries several values in a row
        double[] xs = {300, 306, 312, 318, 324, 330};
        double[] full = new double[6];
        double[] brief = new double[6];
        java.util.Arrays.fill(full, 110);
        java.util.Arrays.fill(brief, 50);
        ChartMarks.Placed[] placed = ChartMarks.layout(xs, full, brief, 16, PLOT, 3, List.of(), new double[0], false);
        assertInsideAndApart(placed, PLOT);
        assertNotNull(placed[0]);
        assertFalse(placed[0].shortText(), "the first keeps its full text");
        assertTrue(placed[1].box().getY() > placed[0].box().getY() || placed[1].box().getMaxX() <= placed[0].box().getMinX(),
                "the second goes below (or beside) the first");
        long shown = java.util.Arrays.stream(placed).filter(p -> p != null).count();
        assertTrue(shown >= 4, shown + " of 6 labels shown");
        // rows stay in the top 40% of the plot
        for (ChartMarks.Placed p : placed) {
            if (p != null) {
                assertTrue(p.box().getMaxY() <= PLOT.getMinY() + PLOT.getHeight() * 0.45, p.box().toString());
            }
        }
    }

    @Test
    void aMarkerAtTheRightEdgePutsItsLabelLeftOfTheLine() {
        ChartMarks.Placed[] placed = ChartMarks.layout(new double[] {850}, new double[] {110}, new double[] {50}, 16,
                PLOT, 3, List.of(), new double[0], false);
        assertNotNull(placed[0]);
        assertTrue(placed[0].box().getMaxX() <= 850, "left of its line: " + placed[0].box());
        assertInsideAndApart(placed, PLOT);
    }

    @Test
    void whatDoesNotFitIsShortenedThenLeftOutAndAMarkerOffThePlotHasNoLabel() {
        Rectangle2D small = new Rectangle2D.Double(0, 0, 400, 60); // one row only
        double[] xs = {20, 185, 390, 395, Double.NaN};
        double[] full = {150, 150, 150, 150, 150};
        double[] brief = {40, 40, 40, 40, 40};
        ChartMarks.Placed[] placed = ChartMarks.layout(xs, full, brief, 16, small, 3, List.of(), new double[0], false);
        assertInsideAndApart(placed, small);
        assertFalse(placed[0].shortText());
        assertFalse(placed[1].shortText());
        assertTrue(placed[2].shortText(), "no room for the full text: the short one, left of its line");
        assertNull(placed[3], "no room at all: left out (the hover has it)");
        assertNull(placed[4], "off the plot: no label");
    }

    @Test
    void labelsAvoidWhatIsTakenAndCanStackFromTheBottom() {
        Rectangle2D chance = new Rectangle2D.Double(740, 33, 118, 18);
        ChartMarks.Placed[] placed = ChartMarks.layout(new double[] {760}, new double[] {90}, new double[] {40}, 16,
                PLOT, 3, List.of(chance), new double[0], false);
        assertFalse(placed[0].box().intersects(chance));
        ChartMarks.Placed[] bottom = ChartMarks.layout(new double[] {300}, new double[] {90}, new double[] {40}, 16,
                PLOT, 3, List.of(), new double[0], true);
        assertEquals(PLOT.getMaxY() - 3, bottom[0].box().getMaxY(), 1e-9);
    }

    @Test
    void aReferenceLineAlongTheTopPushesTheRowsBelowItInsteadOfTakingOne() {
        // the chance line 5 px under the top, drawn as taken; the chance label below it at the right
        double line = PLOT.getMinY() + 5;
        List<Rectangle2D> taken = List.of(new Rectangle2D.Double(PLOT.getMinX(), line - 1, PLOT.getWidth(), 2),
                new Rectangle2D.Double(PLOT.getMaxX() - 150, line + 2, 147, 16));
        double[] xs = {100, 110, 120, 300, 310};
        double[] full = {110, 110, 110, 110, 110};
        double[] brief = {50, 50, 50, 50, 50};
        ChartMarks.Placed[] placed = ChartMarks.layout(xs, full, brief, 16, PLOT, 3, taken, new double[] {line}, false);
        for (ChartMarks.Placed p : placed) {
            assertNotNull(p, "three rows under the line hold them all");
            assertTrue(p.box().getMinY() > line, p.box() + " below the line");
            for (Rectangle2D t : taken) {
                assertFalse(p.box().intersects(t));
            }
        }
    }

    @Test
    void aReferenceLabelNearTheTopGoesBelowItsLineAndStaysInside() {
        // the chance line 4 px under the top of the plot (the loss starts at ln(10), the axis ends just above)
        Rectangle2D box = ChartMarks.levelBox(PLOT, PLOT.getMinY() + 4, 150, 18, 3, true, false);
        assertTrue(PLOT.contains(box), box.toString());
        assertTrue(box.getMinY() > PLOT.getMinY() + 4, "below the line");
        assertEquals(PLOT.getMaxX() - 3, box.getMaxX(), 1e-9, "at the right edge");
        // with room, above it
        Rectangle2D above = ChartMarks.levelBox(PLOT, 200, 150, 18, 3, true, false);
        assertTrue(above.getMaxY() < 200);
        // a plot lower than a label: inside as far as it can be
        Rectangle2D tiny = new Rectangle2D.Double(0, 0, 300, 20);
        Rectangle2D squeezed = ChartMarks.levelBox(tiny, 10, 100, 18, 3, false, false);
        assertTrue(squeezed.getMinY() >= 0 && squeezed.getMaxY() <= 20, squeezed.toString());
    }
}
