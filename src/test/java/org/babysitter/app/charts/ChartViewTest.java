package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The chart view: drawn with Java2D into the scene, redrawn on change only, zoomed and restored with the mouse. */
@ExtendWith(ApplicationExtension.class)
class ChartViewTest {
    private static final java.awt.Color LINE = new java.awt.Color(200, 0, 0);
    private XYSeries series;
    private JFreeChart chart;
    private ChartView view;

    private Stage own;

    @org.junit.jupiter.api.AfterEach
    void closeOwnStage() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> own.hide()).get(10, TimeUnit.SECONDS);
    }

    @Start
    void start(Stage stage) {
        series = new XYSeries("y", false, true);
        for (int i = 0; i <= 100; i++) {
            series.add(i, i); // a diagonal from (0, 0) to (100, 100)
        }
        NumberAxis x = new NumberAxis("x");
        NumberAxis y = new NumberAxis("y");
        x.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesPaint(0, LINE);
        chart = new JFreeChart("t", JFreeChart.DEFAULT_TITLE_FONT, new XYPlot(new XYSeriesCollection(series), x, y, r), false);
        chart.setAntiAlias(false);
        view = new ChartView(chart);
        // a stage of its own: the toolkit's primary stage may carry a main window's sizing from another test
        own = new Stage();
        own.setScene(new Scene(new StackPane(view), 500, 360));
        own.show();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private Rectangle2D dataArea() throws Exception {
        return fx(() -> view.getRenderingInfo().getPlotInfo().getDataArea());
    }

    private Range domain() throws Exception {
        return fx(() -> chart.getXYPlot().getDomainAxis().getRange());
    }

    @Test
    void drawsTheChartAtTheViewsSizeAndTheLineIsInThePicture() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(view::frames) >= 1);
        Rectangle2D area = dataArea();
        assertNotNull(area);
        assertTrue(area.getWidth() > 300 && area.getHeight() > 200, "the plot fills the view: " + area);
        WritableImage shot = fx(() -> view.snapshot(null, null));
        assertEquals(500, (int) shot.getWidth());
        // the diagonal passes through the middle of the data area, in the series' colour
        int cx = (int) area.getCenterX();
        int cy = (int) area.getCenterY();
        boolean found = false;
        for (int dx = -3; dx <= 3 && !found; dx++) {
            for (int dy = -3; dy <= 3 && !found; dy++) {
                javafx.scene.paint.Color c = shot.getPixelReader().getColor(cx + dx, cy + dy);
                found = Math.abs(c.getRed() - 200 / 255.0) < 0.05 && c.getGreen() < 0.05 && c.getBlue() < 0.05;
            }
        }
        assertTrue(found, "the red line crosses the centre of the plot");
        javafx.scene.paint.Color corner = shot.getPixelReader().getColor((int) area.getMinX() + 5, (int) area.getMinY() + 5);
        assertFalse(corner.getRed() > 0.7 && corner.getGreen() < 0.3, "no line in the plot's top-left corner");
    }

    @Test
    void redrawsOnChangeAndNotWhileNotificationsAreHeld() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        long before = fx(view::frames);
        fx(() -> {
            chart.setNotify(false);
            series.add(101, 50);
            series.add(102, 40);
            return null;
        });
        assertEquals(before, (long) fx(view::frames), "held: no frame");
        fx(() -> {
            chart.setNotify(true);
            return null;
        });
        assertEquals(before + 1, (long) fx(view::frames), "released: one frame");
    }

    @Test
    void dragRightZoomsIntoTheRectangleAndDragLeftRestores(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Rectangle2D area = dataArea();
        Range full = domain();
        Point2D origin = fx(() -> view.localToScreen(0, 0));
        double x0 = area.getMinX() + area.getWidth() * 0.25;
        double x1 = area.getMinX() + area.getWidth() * 0.5;
        double y0 = area.getMinY() + area.getHeight() * 0.25;
        double y1 = area.getMinY() + area.getHeight() * 0.75;
        robot.drag(origin.getX() + x0, origin.getY() + y0, MouseButton.PRIMARY).dropTo(new Point2D(origin.getX() + x1, origin.getY() + y1));
        WaitForAsyncUtils.waitForFxEvents();
        Range zoomed = domain();
        assertTrue(zoomed.getLength() < full.getLength() * 0.35, "a quarter of the width: " + zoomed + " of " + full);
        double expectedLower = full.getLowerBound() + full.getLength() * 0.25;
        assertEquals(expectedLower, zoomed.getLowerBound(), full.getLength() * 0.03);
        assertFalse(fx(() -> chart.getXYPlot().getDomainAxis().isAutoRange()));

        robot.drag(origin.getX() + x1, origin.getY() + y1, MouseButton.PRIMARY).dropTo(new Point2D(origin.getX() + x0, origin.getY() + y0));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> chart.getXYPlot().getDomainAxis().isAutoRange()), "dragging back restores the automatic range");
        assertEquals(full.getLength(), domain().getLength(), 1e-9);
    }

    @Test
    void aShortDragChangesNothing(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Rectangle2D area = dataArea();
        Range full = domain();
        Point2D origin = fx(() -> view.localToScreen(0, 0));
        double x = origin.getX() + area.getCenterX();
        double y = origin.getY() + area.getCenterY();
        robot.drag(x, y, MouseButton.PRIMARY).dropTo(new Point2D(x + ChartView.MIN_DRAG / 2, y + ChartView.MIN_DRAG / 2));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(full, domain());
    }

    /** A mouse event at (x, y) in the view's coordinates, delivered to the view. */
    private void mouse(javafx.event.EventType<javafx.scene.input.MouseEvent> type, double x, double y, boolean alt) throws Exception {
        fx(() -> {
            view.fireEvent(new javafx.scene.input.MouseEvent(type, x, y, x, y, MouseButton.PRIMARY, 1,
                    false, false, alt, false, true, false, false, false, false, false, null));
            return null;
        });
    }

    /** One notch of the wheel turned forward at (x, y) in the view's coordinates. */
    private void scrollForward(double x, double y) throws Exception {
        fx(() -> {
            view.fireEvent(new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL, x, y, x, y,
                    false, false, false, false, false, false, 0, 40, 0, 40,
                    javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                    javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null));
            return null;
        });
    }

    @Test
    void scrollingForwardZoomsInAroundThePointerBackOutAndRestoreZoomUndoesIt() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Rectangle2D area = dataArea();
        Range full = domain();
        double x = area.getMinX() + area.getWidth() * 0.25;
        double y = area.getCenterY();
        scrollForward(x, y);
        Range zoomed = domain();
        assertEquals(full.getLength() * ChartView.SCROLL_ZOOM, zoomed.getLength(), full.getLength() * 1e-6);
        double at = full.getLowerBound() + full.getLength() * 0.25;
        assertEquals((at - full.getLowerBound()) / full.getLength(), (at - zoomed.getLowerBound()) / zoomed.getLength(), 1e-3,
                "the value under the pointer stays under it");
        fx(() -> {
            view.restoreZoom();
            return null;
        });
        assertEquals(full.getLength(), domain().getLength(), 1e-9);
    }

    @Test
    void altDragPansAndKeepsTheWidth() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Rectangle2D area = dataArea();
        Range full = domain();
        double x = area.getCenterX();
        double y = area.getCenterY();
        mouse(javafx.scene.input.MouseEvent.MOUSE_PRESSED, x, y, true);
        mouse(javafx.scene.input.MouseEvent.MOUSE_DRAGGED, x - area.getWidth() / 8, y, true);
        mouse(javafx.scene.input.MouseEvent.MOUSE_DRAGGED, x - area.getWidth() / 4, y, true);
        mouse(javafx.scene.input.MouseEvent.MOUSE_RELEASED, x - area.getWidth() / 4, y, true);
        Range panned = domain();
        assertEquals(full.getLength(), panned.getLength(), full.getLength() * 1e-6, "panning keeps the width");
        assertEquals(full.getLowerBound() + full.getLength() / 4, panned.getLowerBound(), full.getLength() * 0.01,
                "the data moved left under the pointer: the range moved right by a quarter");
    }

    @Test
    void theAccuracyChartRestoresToItsFullScaleTheOthersToTheirData() throws Exception {
        fx(() -> {
            RunCharts charts = new RunCharts(new org.babysitter.app.session.UiPump(b -> { }));
            XYPlot acc = charts.chart(ChartKind.ACCURACY).getXYPlot();
            acc.getRangeAxis().setRange(0.4, 0.6);
            acc.getDomainAxis().setRange(2, 3);
            charts.viewer(ChartKind.ACCURACY).restoreZoom();
            assertEquals(RunCharts.ACCURACY_RANGE, acc.getRangeAxis().getRange(), "0 to 1 with a margin above");
            assertTrue(acc.getDomainAxis().isAutoRange());
            XYPlot loss = charts.chart(ChartKind.LOSS).getXYPlot();
            loss.getRangeAxis().setRange(1, 2);
            charts.viewer(ChartKind.LOSS).restoreZoom();
            assertTrue(loss.getRangeAxis().isAutoRange());
            return null;
        });
    }

    @Test
    void onAChartWithNoDataDragAndScrollChangeNothing() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> {
            series.clear();
            return null;
        });
        Rectangle2D area = dataArea();
        Range before = domain();
        mouse(javafx.scene.input.MouseEvent.MOUSE_PRESSED, area.getMinX() + 20, area.getMinY() + 20, false);
        mouse(javafx.scene.input.MouseEvent.MOUSE_DRAGGED, area.getCenterX(), area.getCenterY(), false);
        mouse(javafx.scene.input.MouseEvent.MOUSE_RELEASED, area.getCenterX(), area.getCenterY(), false);
        double x = area.getCenterX();
        double y = area.getCenterY();
        scrollForward(x, y);
        assertEquals(before, domain());
        assertTrue(fx(() -> chart.getXYPlot().getDomainAxis().isAutoRange() && chart.getXYPlot().getRangeAxis().isAutoRange()),
                "the axes still follow the data that will come");
    }

    @Test
    void aNewRunIsShownWholeNotInTheLastRunsZoom() throws Exception {
        fx(() -> {
            RunCharts charts = new RunCharts(new org.babysitter.app.session.UiPump(b -> { }));
            XYPlot loss = charts.chart(ChartKind.LOSS).getXYPlot();
            loss.getDomainAxis().setRange(100, 200);
            loss.getRangeAxis().setRange(1, 2);
            charts.reset();
            assertTrue(loss.getDomainAxis().isAutoRange());
            assertTrue(loss.getRangeAxis().isAutoRange());
            return null;
        });
    }
}
