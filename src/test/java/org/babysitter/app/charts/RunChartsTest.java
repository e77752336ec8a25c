package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.babysitter.app.session.ComparedRun;
import org.babysitter.app.session.UiPump;
import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.diagnosis.Rule;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The charts as a user sees them, drawn into images: in the window at 1280 x 800 sizes, normal and in presentation
 * mode, and exported at 1920 x 1080. Readable ticks, 1.0 in sight, labels inside the plot and apart, the newest point
 * drawn.
 */
@ExtendWith(ApplicationExtension.class)
class RunChartsTest {
    /** A chart's size in the window at 1280 x 800: the loss chart, and each of the two below it. */
    private static final int[] LOSS_VIEW = {930, 290};
    private static final int[] SMALL_VIEW = {450, 230};

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
    }

    private static RunCharts charts() {
        return new RunCharts(new UiPump(b -> { }));
    }

    /** The labels a drawn chart's axis shows, and where the chart put its plot. */
    private record Drawn(BufferedImage image, Rectangle2D area, List<NumberTick> xTicks, List<NumberTick> yTicks) {
        List<String> yLabels() {
            return yTicks.stream().filter(t -> t.getTickType() == TickType.MAJOR).map(NumberTick::getText).toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Drawn draw(JFreeChart chart, int w, int h) {
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage img = SyntheticRun.draw(chart, w, h, info);
        Rectangle2D area = info.getPlotInfo().getDataArea();
        XYPlot plot = chart.getXYPlot();
        Graphics2D g = img.createGraphics();
        List<NumberTick> x = plot.getDomainAxis().refreshTicks(g, new AxisState(), area, plot.getDomainAxisEdge());
        List<NumberTick> y = plot.getRangeAxis().refreshTicks(g, new AxisState(), area, plot.getRangeAxisEdge());
        g.dispose();
        return new Drawn(img, area, x, y);
    }

    /** Styles a live chart as the window would for a view of this size. */
    private static JFreeChart inWindow(RunCharts charts, ChartKind kind, boolean presentation, int[] size) {
        JFreeChart c = charts.chart(kind);
        RunCharts.style(kind, c, ChartStyle.windowScale(presentation, size[0], size[1]), presentation);
        return c;
    }

    private static final List<RunEvent.ControlChanged> SIX_CHANGES = List.of(SyntheticRun.lr(300, 1e-4, 3e-4),
            SyntheticRun.lr(320, 3e-4, 1e-3), SyntheticRun.lr(340, 1e-3, 2e-4), SyntheticRun.lr(360, 2e-4, 5e-4),
            SyntheticRun.lr(900, 5e-4, 2e-4), SyntheticRun.lr(1780, 2e-4, 1e-4));

    @Test
    void exportedAt1920x1080TheTitleIsSlideSizedAndTheAccuracyAxisHasAboutTenLabelsWithOneInSight() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            SyntheticRun.feed(charts, List.of());
            // the title's ink, measured in the picture: ~11 px high before (a 15 px font at any export size)
            JFreeChart loss = charts.exportCopy(ChartKind.LOSS, "", 1920, 1080);
            Drawn d = draw(loss, 1920, 1080);
            int[] rows = inkRows(d.image(), 0, (int) d.area().getMinY() - 10, 700, 1220);
            assertTrue(rows[1] - rows[0] + 1 >= 20, "title ink " + (rows[1] - rows[0] + 1) + " px high");
            assertTrue(loss.getXYPlot().getRangeAxis().getTickLabelFont().getSize() >= 20, "tick labels slide-sized");

            JFreeChart acc = charts.exportCopy(ChartKind.ACCURACY, "", 1920, 1080);
            Drawn a = draw(acc, 1920, 1080);
            List<String> labels = a.yLabels();
            assertTrue(labels.size() >= 6 && labels.size() <= 12, "accuracy labels " + labels);
            assertTrue(labels.contains("1.0"), labels.toString());
            ValueAxis y = acc.getXYPlot().getRangeAxis();
            double top = y.valueToJava2D(1.0, a.area(), RectangleEdge.LEFT);
            assertTrue(top - a.area().getMinY() >= 10, "train accuracy 1.0 is " + (top - a.area().getMinY())
                    + " px under the plot's top edge, not on it");
            // and the train line is drawn there, in its colour, inside the plot
            assertTrue(hasColour(a.image(), ChartStyle.TRAIN, (int) a.area().getCenterX(), a.image().getWidth() - 200,
                    (int) top - 3, (int) top + 3), "train accuracy at 1.0 is visible");
            return null;
        });
    }

    @Test
    void theRatioAxisLabelsMoreThanTwoDecadesInAnExportAndTheLossLogAxisNeverReadsZero() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            SyntheticRun.feed(charts, List.of());
            Drawn r = draw(charts.exportCopy(ChartKind.UPDATE_RATIOS, "", 1920, 1080), 1920, 1080);
            assertTrue(r.yLabels().size() >= 3, "ratio labels " + r.yLabels());
            r.yLabels().forEach(l -> assertTrue(l.matches("[1-9]e-?\\d+"), l));

            // the loss on a log axis, down to 1e-5
            charts.setLogLoss(true);
            charts.started(SyntheticRun.started(2));
            List<IterationMetrics> its = new ArrayList<>();
            for (int i = 1; i <= 180; i++) {
                its.add(SyntheticRun.iteration(i, 2.3 * Math.pow(1e-5 / 2.3, i / 180.0), 1e-3, 1e-3));
            }
            charts.append(its, List.of(), List.of());
            charts.redraw();
            for (boolean presentation : new boolean[] {false, true}) {
                Drawn l = draw(inWindow(charts, ChartKind.LOSS, presentation, LOSS_VIEW), LOSS_VIEW[0], LOSS_VIEW[1]);
                assertTrue(l.yLabels().size() >= 2, l.yLabels().toString());
                for (String label : l.yLabels()) {
                    assertFalse(label.equals("0") || label.matches("0\\.0+"), "a small value written as 0: " + l.yLabels());
                    assertTrue(Double.parseDouble(label) > 0);
                }
                assertTrue(l.yLabels().stream().anyMatch(s -> s.contains("e-")), "below 1e-3 as powers: " + l.yLabels());
            }
            return null;
        });
    }

    @Test
    void aDivergedRunsLinearLossAxisReadsInPowersOfTenAndItsLastPointIsDrawn() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            charts.started(SyntheticRun.started(20));
            List<IterationMetrics> its = new ArrayList<>();
            // 1,003 iterations: the series merged into buckets of two, and the last, diverging loss is alone in one
            for (int i = 1; i <= 1002; i++) {
                its.add(SyntheticRun.iteration(i, 2.3 - i * 1e-3, 1e-3, 1e-3));
            }
            its.add(SyntheticRun.iteration(1003, 5.5e12, 1e2, 1e3));
            charts.append(its, List.of(), List.of());
            charts.redraw();
            XYPlot plot = charts.chart(ChartKind.LOSS).getXYPlot();
            assertTrue(plot.getRangeAxis().getUpperBound() >= 5.5e12, "the loss that diverged is on the chart: axis to "
                    + plot.getRangeAxis().getUpperBound());
            var s = ((org.jfree.data.xy.XYSeriesCollection) plot.getDataset()).getSeries(0);
            assertEquals(1003, s.getX(s.getItemCount() - 1).doubleValue(), 1e-9);
            Drawn d = draw(inWindow(charts, ChartKind.LOSS, false, LOSS_VIEW), LOSS_VIEW[0], LOSS_VIEW[1]);
            assertTrue(d.yLabels().stream().anyMatch(l -> l.endsWith("e12")), d.yLabels().toString());
            d.yLabels().forEach(l -> assertFalse(l.contains("E"), d.yLabels().toString()));
            return null;
        });
    }

    @Test
    void theChanceLabelIsInsideThePlotInEveryModeAndSize() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            SyntheticRun.feed(charts, SIX_CHANGES);
            ChartMarks marks = charts.marks(ChartKind.LOSS);
            List<Object[]> cases = List.of(new Object[] {false, LOSS_VIEW}, new Object[] {true, LOSS_VIEW},
                    new Object[] {true, new int[] {900, 230}}, new Object[] {false, new int[] {1800, 500}});
            for (Object[] c : cases) {
                boolean presentation = (Boolean) c[0];
                int[] size = (int[]) c[1];
                Drawn d = draw(inWindow(charts, ChartKind.LOSS, presentation, size), size[0], size[1]);
                Rectangle2D box = marks.drawnLevelBoxes().get(0);
                assertNotNull(box, "chance label drawn at " + size[0] + "x" + size[1] + (presentation ? " presentation" : ""));
                assertTrue(d.area().contains(box), box + " inside " + d.area());
            }
            for (int[] size : new int[][] {{1920, 1080}, {800, 600}}) {
                JFreeChart copy = charts.exportCopy(ChartKind.LOSS, "caption", size[0], size[1]);
                Drawn d = draw(copy, size[0], size[1]);
                Rectangle2D box = ChartStyle.marks(copy).drawnLevelBoxes().get(0);
                assertTrue(d.area().contains(box), box + " inside " + d.area() + " at " + size[0] + "x" + size[1]);
            }
            return null;
        });
    }

    @Test
    void markerLabelsStayInsideThePlotApartFromEachOtherAndTheHoverHasTheirFullText() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            SyntheticRun.feed(charts, SIX_CHANGES);
            for (ChartKind kind : ChartKind.values()) {
                for (boolean presentation : new boolean[] {false, true}) {
                    int[] size = kind == ChartKind.LOSS ? LOSS_VIEW : SMALL_VIEW;
                    Drawn d = draw(inWindow(charts, kind, presentation, size), size[0], size[1]);
                    ChartMarks marks = charts.marks(kind);
                    List<Rectangle2D> boxes = new ArrayList<>(marks.drawnMarkerBoxes());
                    boxes.addAll(marks.drawnLevelBoxes());
                    boxes.removeIf(java.util.Objects::isNull);
                    String where = kind + (presentation ? " presentation" : "");
                    assertTrue(marks.drawnMarkerBoxes().stream().anyMatch(java.util.Objects::nonNull), where + ": some labels");
                    for (int i = 0; i < boxes.size(); i++) {
                        assertTrue(d.area().contains(boxes.get(i)), where + ": " + boxes.get(i) + " inside " + d.area());
                        for (int j = 0; j < i; j++) {
                            assertFalse(boxes.get(i).intersects(boxes.get(j)), where + ": " + boxes.get(i) + " and " + boxes.get(j));
                        }
                    }
                    // every marker, shown, shortened or left out, is named in full by the hover at its line
                    XYPlot plot = charts.chart(kind).getXYPlot();
                    for (RunEvent.ControlChanged c : SIX_CHANGES) {
                        double x = kind == ChartKind.ACCURACY ? (c.iteration() + 0.5) / SyntheticRun.ITERATIONS_PER_EPOCH
                                : c.iteration() + 0.5;
                        double px = plot.getDomainAxis().valueToJava2D(x, d.area(), plot.getDomainAxisEdge());
                        assertTrue(marks.describe(px, d.area().getCenterY(), ChartHover.MARKER_TOLERANCE).contains(c.label()),
                                where + ": hover at " + c.label());
                    }
                }
            }
            // the last change is near the right edge: in the loss chart its label is there in full, left of its line
            charts.setPresentation(false);
            draw(inWindow(charts, ChartKind.LOSS, false, LOSS_VIEW), LOSS_VIEW[0], LOSS_VIEW[1]);
            assertEquals(SIX_CHANGES.get(5).label(), charts.marks(ChartKind.LOSS).drawnMarkerLabels().get(5));
            return null;
        });
    }

    @Test
    void aClickOnAWarningsMarkerOrOnTheRewindItExplainsFindsTheFindingAndAControlMarkerNone() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            SyntheticRun.feed(charts, List.of(SyntheticRun.lr(300, 1e-4, 3e-4)));
            Finding low = new Finding(Rule.LR_TOO_LOW, Finding.Severity.WARNING, "loss", 900, "loss fell 0.1%", "1%", "raise lr",
                    Finding.Fix.RAISE_LR_10X);
            Finding gap = new Finding(Rule.OVERFITTING, Finding.Severity.WARNING, "accuracy", 1350, "gap 0.3", "0.2", "raise reg",
                    Finding.Fix.RAISE_REG_10X);
            charts.said(low);
            charts.said(gap);
            charts.rewound(new RunEvent.Rewound(1500, 9.1, RunEvent.Cause.LEARNING_RATE, "loss 9.1 exceeded 3 times", 1450, 0.4,
                    1e-2, 1e-3));
            Finding broke = new Finding(Rule.LR_TOO_HIGH, Finding.Severity.WARNING, "loss broke at iteration 1500", 1500, "loss 9.1",
                    "3x", "lower lr and resume", Finding.Fix.LOWER_LR_10X_RESUME);
            charts.said(broke);
            List<Finding> clicked = new ArrayList<>();
            charts.setOnFindingClicked(clicked::add);
            charts.redraw();
            assertEquals(1, charts.markerLabels().stream().filter(l -> l.contains("1500")).count(),
                    "the rewind's finding adds no second marker at the break: " + charts.markerLabels());
            Drawn loss = draw(inWindow(charts, ChartKind.LOSS, false, LOSS_VIEW), LOSS_VIEW[0], LOSS_VIEW[1]);
            Drawn acc = draw(inWindow(charts, ChartKind.ACCURACY, false, SMALL_VIEW), SMALL_VIEW[0], SMALL_VIEW[1]);
            XYPlot lp = charts.chart(ChartKind.LOSS).getXYPlot();
            XYPlot ap = charts.chart(ChartKind.ACCURACY).getXYPlot();
            double y = loss.area().getCenterY();
            assertEquals(low, charts.findingAt(ChartKind.LOSS, lp.getDomainAxis().valueToJava2D(900, loss.area(), lp.getDomainAxisEdge()), y));
            assertEquals(broke, charts.findingAt(ChartKind.LOSS, lp.getDomainAxis().valueToJava2D(1500, loss.area(),
                    lp.getDomainAxisEdge()) + 3, y), "within the tolerance of the line");
            assertEquals(null, charts.findingAt(ChartKind.LOSS, lp.getDomainAxis().valueToJava2D(300.5, loss.area(),
                    lp.getDomainAxisEdge()), y), "an lr change has no finding");
            assertEquals(null, charts.findingAt(ChartKind.LOSS, lp.getDomainAxis().valueToJava2D(1200, loss.area(),
                    lp.getDomainAxisEdge()), y), "nothing away from the markers");
            double gx = ap.getDomainAxis().valueToJava2D(1350.0 / SyntheticRun.ITERATIONS_PER_EPOCH, acc.area(), ap.getDomainAxisEdge());
            assertEquals(gap, charts.findingAt(ChartKind.ACCURACY, gx, acc.area().getCenterY()), "accuracy markers stand at epochs");
            charts.reset();
            charts.redraw();
            draw(inWindow(charts, ChartKind.LOSS, false, LOSS_VIEW), LOSS_VIEW[0], LOSS_VIEW[1]);
            assertEquals(null, charts.findingAt(ChartKind.LOSS, lp.getDomainAxis().valueToJava2D(900, loss.area(),
                    lp.getDomainAxisEdge()), y), "a reset forgets them");
            return null;
        });
    }

    @Test
    void theSmoothedLossStartsAfreshAfterARewindAndARecomputationKeepsThatStart() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            charts.started(SyntheticRun.started(2));
            List<IterationMetrics> before = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                before.add(SyntheticRun.iteration(i, i == 10 ? Double.NaN : 2.3, 1e-3, 1e-3));
            }
            charts.append(before, List.of(), List.of());
            charts.rewound(new RunEvent.Rewound(10, Double.NaN, RunEvent.Cause.LEARNING_RATE, "loss became NaN", 5, 2.3, 1, 1e-3));
            charts.append(List.of(SyntheticRun.iteration(11, 1.5, 1e-3, 1e-3), SyntheticRun.iteration(12, 1.5, 1e-3, 1e-3)),
                    List.of(), List.of());
            charts.redraw();
            assertEquals(2.3, charts.smoothedAt(9), 1e-12);
            assertEquals(1.5, charts.smoothedAt(11), 1e-12, "the NaN of the break is not averaged into what follows");
            assertEquals(1.5, charts.smoothedAt(12), 1e-12);
            charts.setSmoothing(0.5);
            assertEquals(1.5, charts.smoothedAt(11), 1e-12, "recomputed with its restart");
            assertEquals(2.3, charts.smoothedAt(9), 1e-12);
            return null;
        });
    }

    @Test
    void inPresentationModeAt1280x800NothingIsCutAndTheChartsStillGrow() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            SyntheticRun.feed(charts, SIX_CHANGES);
            assertEquals(ChartStyle.PRESENTATION, ChartStyle.windowScale(true, LOSS_VIEW[0], LOSS_VIEW[1]), 1e-6);
            float small = ChartStyle.windowScale(true, SMALL_VIEW[0], SMALL_VIEW[1]);
            assertTrue(small > 1.2f && small < ChartStyle.PRESENTATION, "the small charts grow as far as they can: " + small);
            assertEquals(1f, ChartStyle.windowScale(false, 2000, 1000), 1e-6);
            for (ChartKind kind : ChartKind.values()) {
                int[] size = kind == ChartKind.LOSS ? LOSS_VIEW : SMALL_VIEW;
                JFreeChart c = inWindow(charts, kind, true, size);
                Drawn d = draw(c, size[0], size[1]);
                Graphics2D g = d.image().createGraphics();
                // the y axis's label fits along the plot (the ratio chart's long one gives way to its short one)
                ValueAxis y = c.getXYPlot().getRangeAxis();
                FontMetrics fm = g.getFontMetrics(y.getLabelFont());
                String label = y instanceof ReadableLogAxis log ? log.fittedLabel(fm, d.area().getHeight())
                        : ((ReadableNumberAxis) y).fittedLabel(fm, d.area().getHeight());
                assertTrue(fm.stringWidth(label) <= d.area().getHeight(), kind + ": '" + label + "' is "
                        + fm.stringWidth(label) + " px along a " + d.area().getHeight() + " px axis");
                // every tick label along the bottom ends inside the picture
                FontMetrics tick = g.getFontMetrics(c.getXYPlot().getDomainAxis().getTickLabelFont());
                for (NumberTick t : d.xTicks()) {
                    double x = c.getXYPlot().getDomainAxis().valueToJava2D(t.getValue(), d.area(), RectangleEdge.BOTTOM);
                    double right = t.getTextAnchor() == TextAnchor.TOP_RIGHT ? x : x + tick.stringWidth(t.getText()) / 2.0;
                    assertTrue(right <= size[0], kind + ": tick " + t.getText() + " ends at " + right);
                }
                g.dispose();
                assertTrue(d.area().getHeight() >= size[1] * 0.35, kind + ": plot " + d.area().getHeight() + " of " + size[1]);
            }
            return null;
        });
    }

    @Test
    void anExportCopyHasItsOwnMarksAndStyleAndTheLiveChartKeepsItsOwn() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            SyntheticRun.feed(charts, SIX_CHANGES);
            JFreeChart copy = charts.exportCopy(ChartKind.LOSS, "the run", 1920, 1080);
            JFreeChart live = charts.chart(ChartKind.LOSS);
            assertEquals(15, live.getTitle().getFont().getSize());
            assertEquals(30, copy.getTitle().getFont().getSize());
            assertEquals(1f, charts.marks(ChartKind.LOSS).scale(), 1e-6);
            assertEquals(2f, ChartStyle.marks(copy).scale(), 1e-6);
            charts.append(List.of(), List.of(), List.of(SyntheticRun.lr(1790, 1e-4, 5e-5)));
            charts.redraw();
            assertEquals(7, charts.markerCount(ChartKind.LOSS));
            assertEquals(6, ChartStyle.marks(copy).changes().size(), "the copy does not move with the live chart");
            assertTrue(copy.getSubtitles().stream().anyMatch(t -> t instanceof org.jfree.chart.title.TextTitle tt
                    && "the run".equals(tt.getText())), "caption");
            assertTrue(live.getSubtitles().stream().noneMatch(t -> t instanceof org.jfree.chart.title.TextTitle), "no caption live");
            return null;
        });
    }

    /** First and last rows with dark (text) pixels in the given box. */
    private static int[] inkRows(BufferedImage img, int y0, int y1, int x0, int x1) {
        int first = -1;
        int last = -1;
        for (int y = Math.max(0, y0); y < Math.min(img.getHeight(), y1); y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int gg = (rgb >> 8) & 255;
                int b = rgb & 255;
                if (r < 90 && gg < 90 && b < 90) {
                    if (first < 0) {
                        first = y;
                    }
                    last = y;
                    break;
                }
            }
        }
        assertTrue(first >= 0, "no ink");
        return new int[] {first, last};
    }

    private static boolean hasColour(BufferedImage img, java.awt.Color c, int x0, int x1, int y0, int y1) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = img.getRGB(x, y);
                if (Math.abs(((rgb >> 16) & 255) - c.getRed()) < 20 && Math.abs(((rgb >> 8) & 255) - c.getGreen()) < 20
                        && Math.abs((rgb & 255) - c.getBlue()) < 20) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A compared run of 5 iterations (the third loss NaN) and 3 epochs (the second val not measured), two weights. */
    private static ComparedRun compared(long id, String label, double lossOffset) {
        return new ComparedRun(id, "run " + id, label, null, new int[] {1, 2, 3, 4, 5},
                new double[] {2.3 + lossOffset, 2.2 + lossOffset, Double.NaN, 2.0 + lossOffset, 1.9 + lossOffset},
                List.of("W1", "W2"), new double[][] {{1e-2, 9e-3, 8e-3, 7e-3, 6e-3}, {1e-3, 2e-3, 3e-3, 4e-3, 5e-3}},
                new int[] {1, 2, 3}, new int[] {2, 4, 5}, new double[] {0.2, 0.3, 0.4}, new double[] {0.2, Double.NaN, 0.35},
                ComparedRun.ALL);
    }

    /** The names in a plot's legend. */
    private static List<String> legend(XYPlot plot) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < plot.getLegendItems().getItemCount(); i++) {
            names.add(plot.getLegendItems().get(i).getLabel());
        }
        return names;
    }

    @Test
    void comparedRunsAreDrawnOnEveryChartInTheirColoursStayThroughAResetFollowTheSmoothingAreCutAndCleared() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            ComparedRun a = compared(3, "run 3: lr 1e-3", 0);
            ComparedRun b = compared(5, "run 5: lr 1e-4", 1);
            ComparedRun c = compared(7, "run 7: lr 1e-5", 2);
            charts.setCompared(List.of(a, b, c));
            assertEquals(List.of("run 3: lr 1e-3", "run 5: lr 1e-4", "run 7: lr 1e-5"), charts.comparedLabels());
            assertEquals(3 * 4, charts.comparedPoints(ChartKind.LOSS), "the NaN loss skipped");
            assertEquals(3 * 5, charts.comparedPoints(ChartKind.ACCURACY), "3 train, 2 val (one not measured) each");
            assertEquals(3 * 2 * 5, charts.comparedPoints(ChartKind.UPDATE_RATIOS), "two weights each");

            XYPlot loss = charts.chart(ChartKind.LOSS).getXYPlot();
            XYPlot acc = charts.chart(ChartKind.ACCURACY).getXYPlot();
            XYPlot ratios = charts.chart(ChartKind.UPDATE_RATIOS).getXYPlot();
            assertTrue(legend(loss).containsAll(List.of("loss", "smoothed", "run 3: lr 1e-3", "run 5: lr 1e-4", "run 7: lr 1e-5")),
                    legend(loss).toString());
            assertTrue(legend(acc).containsAll(List.of("train", "val", "run 5: lr 1e-4")), legend(acc).toString());
            assertEquals(1, legend(acc).stream().filter("run 5: lr 1e-4"::equals).count(), "one legend entry a run: " + legend(acc));
            assertEquals("run 5: lr 1e-4 val", acc.getDataset(1).getSeriesKey(3).toString(), "the line's own name");
            List<String> ratioLegend = legend(ratios);
            assertEquals(1, ratioLegend.stream().filter("run 7: lr 1e-5"::equals).count(), "one legend entry a run: " + ratioLegend);
            // each run its own colour, none the live run's; train dashed, val dotted (a shorter dash)
            java.util.Set<java.awt.Paint> colours = new java.util.HashSet<>();
            for (int i = 0; i < 3; i++) {
                colours.add(loss.getRenderer(1).getSeriesPaint(i));
            }
            assertEquals(3, colours.size(), colours.toString());
            assertFalse(colours.contains(ChartStyle.LOSS_SMOOTH) || colours.contains(ChartStyle.TRAIN) || colours.contains(ChartStyle.VAL));
            assertEquals(loss.getRenderer(1).getSeriesPaint(1), acc.getRenderer(1).getSeriesPaint(2), "run 5 in one colour on both");
            float[] trainDash = ((java.awt.BasicStroke) acc.getRenderer(1).getSeriesStroke(0)).getDashArray();
            float[] valDash = ((java.awt.BasicStroke) acc.getRenderer(1).getSeriesStroke(1)).getDashArray();
            assertTrue(trainDash != null && valDash != null && trainDash[0] > valDash[0], "train dashed, val dotted");
            assertEquals(charts.comparedColour(5), charts.comparedColour(5));

            charts.started(SyntheticRun.started(1)); // a new run clears its own lines, not the compared runs
            charts.append(List.of(SyntheticRun.iteration(1, 2.0, 1e-3, 1e-3)), List.of(), List.of());
            charts.redraw();
            assertEquals(3 * 4, charts.comparedPoints(ChartKind.LOSS));
            assertEquals(3 * 2 * 5, charts.comparedPoints(ChartKind.UPDATE_RATIOS));
            charts.setSmoothing(0); // no smoothing: the compared runs' raw losses
            assertEquals(1.9 + 1, loss.getDataset(1).getYValue(1, 3), 1e-12);
            charts.setSmoothing(0.5); // re-smoothed, bias-corrected: (0.5 * 2.3 + 0.25 * 2.2... ) over (1 - 0.25) at iteration 2
            assertEquals((0.5 * 0.5 * 2.3 + 0.5 * 2.2) / (1 - 0.25), loss.getDataset(1).getYValue(0, 1), 1e-12);

            // exports draw them and keep their legend
            JFreeChart copy = charts.exportCopy(ChartKind.UPDATE_RATIOS, "caption", 1920, 1080);
            assertEquals(3 * 2, copy.getXYPlot().getDataset(1).getSeriesCount());
            assertTrue(legend(copy.getXYPlot()).contains("run 3: lr 1e-3"), legend(copy.getXYPlot()).toString());
            draw(charts.exportCopy(ChartKind.ACCURACY, "caption", 1920, 1080), 1920, 1080);

            // a fork's parent: drawn only up to iteration 2 (its losses 1 and 2, its first epoch, which ended at 2)
            charts.setCompared(List.of(a, b.until(2)));
            assertEquals(4 + 2, charts.comparedPoints(ChartKind.LOSS));
            assertEquals(5 + 2, charts.comparedPoints(ChartKind.ACCURACY));
            assertEquals(2 * 5 + 2 * 2, charts.comparedPoints(ChartKind.UPDATE_RATIOS));
            assertEquals(2.0, loss.getDataset(1).getXValue(1, 1), 1e-12);

            charts.setCompared(List.of());
            for (ChartKind k : ChartKind.values()) {
                assertEquals(0, charts.comparedPoints(k), k.toString());
            }
            assertEquals(List.of(), charts.comparedLabels());
            assertEquals(List.of("loss", "smoothed"), legend(loss));
            return null;
        });
    }

    @Test
    void eightCompared10kIterationRunsStayAFewThousandPoints() throws Exception {
        fx(() -> {
            RunCharts charts = charts();
            List<ComparedRun> runs = new ArrayList<>();
            int n = 10_000;
            for (int r = 1; r <= 8; r++) {
                int[] x = new int[n];
                double[] l = new double[n];
                double[][] q = new double[2][n];
                for (int i = 0; i < n; i++) {
                    x[i] = i + 1;
                    l[i] = 2.3 * Math.exp(-i / 3000.0) + r * 0.01;
                    q[0][i] = 1e-3;
                    q[1][i] = 2e-3;
                }
                runs.add(new ComparedRun(r, "run " + r, "run " + r + ": seed " + r, null, x, l, List.of("W1", "W2"), q,
                        new int[0], new int[0], new double[0], new double[0], ComparedRun.ALL));
            }
            long t0 = System.nanoTime();
            charts.setCompared(runs);
            Drawn d = draw(charts.chart(ChartKind.LOSS), 960, 540);
            draw(charts.chart(ChartKind.UPDATE_RATIOS), 960, 540);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(charts.comparedPoints(ChartKind.LOSS) <= 8 * RunCharts.MAX_COMPARED_POINTS, "decimated");
            assertTrue(charts.comparedPoints(ChartKind.UPDATE_RATIOS) <= 16 * RunCharts.MAX_COMPARED_POINTS, "decimated");
            assertTrue(d.image() != null && ms < 5000, ms + " ms");
            return null;
        });
    }
}
