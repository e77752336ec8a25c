package org.babysitter.app.charts;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.IntBuffer;

import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.event.ChartChangeEvent;
import org.jfree.chart.event.ChartChangeListener;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.general.DatasetUtils;

/**
 * A live chart on screen: JFreeChart draws with Java2D into an image, which the scene shows. It replaces
 * jfreechart-fx's {@code ChartViewer}, which draws through a JavaFX canvas: there every frame's lines are
 * rasterised again on the render thread with anti-aliasing that a canvas cannot switch off, which in software
 * rendering took CPU from training (figures in BENCHMARKS.md, ChartFrameBench). Java2D draws the chart's lines
 * without anti-aliasing (the chart's own hint; exports turn it on) and measures text with AWT's font metrics;
 * the render thread only uploads an image.
 * <p>
 * Mouse: drag right/down over the data area to zoom into the rectangle, drag left/up to restore the automatic
 * ranges, scroll to zoom around the pointer, Alt+drag to pan; on a chart with no data yet these do nothing.
 * Redraws when the chart says it changed (so a chart whose notifications are held, as {@link RunCharts} does
 * between frames, costs nothing) and when resized.
 */
public final class ChartView extends Region implements ChartChangeListener {
    /** A drag shorter than this (pixels) neither zooms nor restores. */
    static final double MIN_DRAG = 10;
    /** Zoom factor per scroll notch. */
    static final double SCROLL_ZOOM = 0.9;

    private final JFreeChart chart;
    private final ImageView view = new ImageView();
    private final Rectangle zoomBox = new Rectangle();
    private final javafx.scene.control.Label hover = new javafx.scene.control.Label();
    private BufferedImage image;
    private PixelBuffer<IntBuffer> pixels;
    private ChartRenderingInfo info;
    private Point2D dragStart;
    private boolean panning;
    private long frames;
    private Runnable restore;
    private Runnable onResize;

    public ChartView(JFreeChart chart) {
        this.chart = chart;
        view.setManaged(false);
        zoomBox.setManaged(false);
        zoomBox.setVisible(false);
        zoomBox.setFill(javafx.scene.paint.Color.rgb(0, 90, 200, 0.12));
        zoomBox.setStroke(javafx.scene.paint.Color.rgb(0, 90, 200, 0.7));
        zoomBox.setMouseTransparent(true);
        hover.setManaged(false);
        hover.setVisible(false);
        hover.setMouseTransparent(true);
        hover.getStyleClass().add("chart-hover");
        hover.setId("chart-hover");
        getChildren().addAll(view, zoomBox, hover);
        // white behind the image: before the first frame and while the view grows
        setBackground(new Background(new BackgroundFill(javafx.scene.paint.Color.WHITE, null, null)));
        restore = () -> changeAxes(chart.getXYPlot(), plot -> {
            plot.getDomainAxis().setAutoRange(true);
            plot.getRangeAxis().setAutoRange(true);
        });
        chart.getXYPlot().setDomainPannable(true);
        chart.getXYPlot().setRangePannable(true);
        chart.addChangeListener(this);
        setOnMousePressed(this::pressed);
        setOnMouseDragged(this::dragged);
        setOnMouseReleased(this::released);
        setOnScroll(this::scrolled);
    }

    public JFreeChart getChart() {
        return chart;
    }

    /** Where the last frame put the plot and axes (for mapping the mouse to data), or null before the first. */
    public ChartRenderingInfo getRenderingInfo() {
        return info;
    }

    /** Shows {@code text} beside the pointer at (x, y), kept inside the chart. */
    void showHover(String text, double x, double y) {
        hover.setText(text);
        hover.setVisible(true);
        hover.autosize();
        double w = hover.getWidth();
        double h = hover.getHeight();
        double left = x + 14 + w <= getWidth() ? x + 14 : x - 14 - w;
        double top = Math.max(0, Math.min(y + 14, getHeight() - h));
        hover.relocate(Math.max(0, left), top);
    }

    void hideHover() {
        hover.setVisible(false);
    }

    /** The hover label's text while it shows, else null (tests). */
    public String hoverText() {
        return hover.isVisible() ? hover.getText() : null;
    }

    /** Frames drawn so far (for tests). */
    public long frames() {
        return frames;
    }

    /** What restoring the zoom does for this chart (by default: both axes back to their automatic ranges). */
    public void setRestore(Runnable restore) {
        this.restore = restore;
    }

    /** Runs before the first frame at a new size (a chart styled for its size restyles itself there). */
    void setOnResize(Runnable onResize) {
        this.onResize = onResize;
    }

    /** Restores the ranges from before any zoom or pan. */
    public void restoreZoom() {
        restore.run();
    }

    @Override
    public void chartChanged(ChartChangeEvent event) {
        draw();
    }

    @Override
    protected double computePrefWidth(double height) {
        return 480;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 300;
    }

    @Override
    protected void layoutChildren() {
        int w = (int) Math.ceil(getWidth());
        int h = (int) Math.ceil(getHeight());
        if (image == null || image.getWidth() != pixels(w) || image.getHeight() != pixels(h)) {
            if (onResize != null) {
                onResize.run();
            }
            hideHover(); // placed for the old size; the next move of the mouse shows it again
            draw();
        }
    }

    private double scale() {
        return getScene() == null || getScene().getWindow() == null ? 1 : Math.max(1, getScene().getWindow().getOutputScaleX());
    }

    private int pixels(double size) {
        return (int) Math.ceil(size * scale());
    }

    /** Draws the chart at the view's size now (FX thread). */
    public void draw() {
        double w = Math.ceil(getWidth());
        double h = Math.ceil(getHeight());
        if (w < 1 || h < 1) {
            return;
        }
        double scale = scale();
        int pw = pixels(w);
        int ph = pixels(h);
        if (image == null || image.getWidth() != pw || image.getHeight() != ph) {
            image = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_ARGB_PRE);
            // the scene's image shares the Java2D image's pixels: nothing is copied or converted per frame
            int[] argb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            pixels = new PixelBuffer<>(pw, ph, IntBuffer.wrap(argb), PixelFormat.getIntArgbPreInstance());
            view.setImage(new WritableImage(pixels));
        }
        pixels.updateBuffer(b -> {
            paint(w, h, scale);
            return null; // all of it changed
        });
        view.setFitWidth(w);
        view.setFitHeight(h);
        view.relocate(0, 0);
        frames++;
    }

    private void paint(double w, double h, double scale) {
        int pw = image.getWidth();
        int ph = image.getHeight();
        Graphics2D g = image.createGraphics();
        try {
            g.setBackground(new Color(0, 0, 0, 0));
            g.clearRect(0, 0, pw, ph);
            g.scale(scale, scale);
            ChartRenderingInfo drawn = new ChartRenderingInfo();
            chart.draw(g, new Rectangle2D.Double(0, 0, w, h), null, drawn);
            info = drawn;
        } finally {
            g.dispose();
        }
    }

    private Rectangle2D dataArea() {
        PlotRenderingInfo p = info == null ? null : info.getPlotInfo();
        return p == null ? null : p.getDataArea();
    }

    /** True if any of the plot's series has a point: zooming or panning an empty chart would fix meaningless ranges. */
    private boolean hasData() {
        XYPlot plot = chart.getXYPlot();
        for (int d = 0; d < plot.getDatasetCount(); d++) {
            if (!DatasetUtils.isEmptyOrNull(plot.getDataset(d))) {
                return true;
            }
        }
        return false;
    }

    private void pressed(MouseEvent e) {
        Rectangle2D area = dataArea();
        dragStart = null;
        if (e.getButton() != MouseButton.PRIMARY || area == null || !area.contains(e.getX(), e.getY()) || !hasData()) {
            return;
        }
        dragStart = new Point2D.Double(e.getX(), e.getY());
        panning = e.isAltDown();
    }

    private void dragged(MouseEvent e) {
        Rectangle2D area = dataArea();
        if (dragStart == null || area == null) {
            return;
        }
        if (panning) {
            PlotRenderingInfo p = info.getPlotInfo();
            double dx = (e.getX() - dragStart.getX()) / area.getWidth();
            double dy = (e.getY() - dragStart.getY()) / area.getHeight();
            Point2D at = new Point2D.Double(e.getX(), e.getY());
            dragStart = at;
            changeAxes(chart.getXYPlot(), plot -> {
                plot.panDomainAxes(-dx, p, at);
                plot.panRangeAxes(dy, p, at);
            });
            return;
        }
        double x1 = clamp(e.getX(), area.getMinX(), area.getMaxX());
        double y1 = clamp(e.getY(), area.getMinY(), area.getMaxY());
        zoomBox.setX(Math.min(dragStart.getX(), x1));
        zoomBox.setY(Math.min(dragStart.getY(), y1));
        zoomBox.setWidth(Math.abs(x1 - dragStart.getX()));
        zoomBox.setHeight(Math.abs(y1 - dragStart.getY()));
        zoomBox.setVisible(true);
    }

    private void released(MouseEvent e) {
        zoomBox.setVisible(false);
        Rectangle2D area = dataArea();
        Point2D start = dragStart;
        dragStart = null;
        if (start == null || area == null || panning) {
            return;
        }
        double dx = e.getX() - start.getX();
        double dy = e.getY() - start.getY();
        if (Math.abs(dx) < MIN_DRAG && Math.abs(dy) < MIN_DRAG) {
            return;
        }
        if (dx < 0 || dy < 0) {
            restoreZoom();
            return;
        }
        double x1 = clamp(e.getX(), area.getMinX(), area.getMaxX());
        double y1 = clamp(e.getY(), area.getMinY(), area.getMaxY());
        zoom(area, start.getX(), start.getY(), x1, y1);
    }

    /** Changes a plot's axes with one redraw at the end, not one per axis. */
    static void changeAxes(XYPlot plot, java.util.function.Consumer<XYPlot> change) {
        boolean notify = plot.isNotify();
        plot.setNotify(false);
        try {
            change.accept(plot);
        } finally {
            plot.setNotify(notify);
        }
    }

    /** Zooms both axes to the rectangle (x0, y0)-(x1, y1) of the data area, in view coordinates. */
    private void zoom(Rectangle2D area, double x0, double y0, double x1, double y1) {
        PlotRenderingInfo p = info.getPlotInfo();
        Point2D at = new Point2D.Double(x1, y1);
        changeAxes(chart.getXYPlot(), plot -> {
            plot.zoomDomainAxes((x0 - area.getMinX()) / area.getWidth(), (x1 - area.getMinX()) / area.getWidth(), p, at);
            plot.zoomRangeAxes((area.getMaxY() - y1) / area.getHeight(), (area.getMaxY() - y0) / area.getHeight(), p, at);
        });
    }

    private void scrolled(ScrollEvent e) {
        Rectangle2D area = dataArea();
        if (area == null || e.getDeltaY() == 0 || !area.contains(e.getX(), e.getY()) || !hasData()) {
            return;
        }
        double factor = e.getDeltaY() > 0 ? SCROLL_ZOOM : 1 / SCROLL_ZOOM; // wheel forward: closer
        Point2D at = new Point2D.Double(e.getX(), e.getY());
        PlotRenderingInfo p = info.getPlotInfo();
        changeAxes(chart.getXYPlot(), plot -> {
            plot.zoomDomainAxes(factor, p, at, true);
            plot.zoomRangeAxes(factor, p, at, true);
        });
        e.consume();
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
