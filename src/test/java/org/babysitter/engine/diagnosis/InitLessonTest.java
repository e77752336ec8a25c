package org.babysitter.engine.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.data.Progress;
import org.babysitter.engine.linalg.Gemms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The weight-initialisation lesson's numbers: std 0.01 shrinks the std about 0.22x per layer (0.01 x sqrt(500)) to
 * ~3e-7 at layer 10 (the lecture's printout: 0.213, 0.048, 0.011, ... 0.000000); std 1.0 saturates nearly every unit;
 * Xavier keeps the std in a healthy band through layer 10.
 */
class InitLessonTest {
    private static List<InitLesson.Row> rows;

    @BeforeAll
    static void run() {
        rows = InitLesson.run(Gemms.best(), 0, Progress.NONE);
    }

    private static InitLesson.Row row(InitLesson.Case c) {
        return rows.stream().filter(r -> r.init() == c).findFirst().orElseThrow();
    }

    @Test
    void everyCaseHasTenTanhLayersOnTheSameUnitGaussianInput() {
        assertEquals(3, rows.size());
        for (InitLesson.Row r : rows) {
            assertEquals(InitLesson.LAYERS, r.layers().size());
            assertEquals(InitLesson.EXAMPLES, r.examples());
            assertEquals(0, r.inputMean(), 0.01);
            assertEquals(1, r.inputStd(), 0.01);
            for (InitLesson.Layer l : r.layers()) {
                assertEquals((long) InitLesson.EXAMPLES * InitLesson.UNITS, l.values().total());
                assertEquals(-1, l.values().low(), 0);
                assertEquals(1, l.values().high(), 0);
            }
        }
        assertEquals(row(InitLesson.Case.SMALL).inputStd(), row(InitLesson.Case.XAVIER).inputStd(), 0);
    }

    @Test
    void smallWeightsCollapseTheActivationsToZero() {
        List<InitLesson.Layer> layers = row(InitLesson.Case.SMALL).layers();
        assertEquals(0.213, layers.get(0).std(), 0.01); // the lecture's layer 1
        assertEquals(0.0476, layers.get(1).std(), 0.003); // layer 2
        for (int i = 1; i < layers.size(); i++) {
            double shrink = layers.get(i).std() / layers.get(i - 1).std();
            assertEquals(0.01 * Math.sqrt(500), shrink, 0.01, "layer " + (i + 1));
        }
        double last = layers.get(9).std();
        assertTrue(last < 1e-6 && last > 1e-7, "layer 10's std " + last);
        assertEquals(0, layers.get(9).saturated());
        assertTrue(layers.get(9).values().count(14) + layers.get(9).values().count(15) == layers.get(9).values().total(),
                "every value in the two bins around 0");
    }

    @Test
    void largeWeightsSaturateNearlyEveryUnit() {
        for (InitLesson.Layer l : row(InitLesson.Case.LARGE).layers()) {
            assertTrue(l.saturated() > 0.85, l.line());
            assertTrue(l.std() > 0.95, l.line());
            long ends = l.values().count(0) + l.values().count(29);
            assertTrue(ends > 0.85 * l.values().total(), l.line());
        }
    }

    @Test
    void xavierStaysHealthyThroughAllTenLayers() {
        List<InitLesson.Layer> layers = row(InitLesson.Case.XAVIER).layers();
        assertEquals(0.63, layers.get(0).std(), 0.03);
        for (InitLesson.Layer l : layers) {
            assertTrue(l.std() > 0.2 && l.std() < 0.7, l.line());
            assertTrue(l.saturated() < 0.05, l.line());
            assertTrue(Math.abs(l.mean()) < 0.05, l.line());
        }
        assertTrue(layers.get(9).std() > 0.2, "layer 10 std " + layers.get(9).std());
    }

    @Test
    void linesNameEachCaseItsLayersAndTheLecturesReading() {
        List<String> lines = InitLesson.lines(rows);
        String text = String.join("\n", lines);
        assertTrue(text.contains("W = 0.01 * randn"), text);
        assertTrue(text.contains("layer 10"), text);
        assertTrue(text.contains("All activations become zero"), text);
        assertTrue(text.contains("completely saturated"), text);
        assertEquals(1 + 3 * (1 + 1 + InitLesson.LAYERS + 1), lines.size());
    }
}
