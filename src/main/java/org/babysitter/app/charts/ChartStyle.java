package org.babysitter.app.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Line2D;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYDifferenceRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/**
 * Fonts, strokes, gaps and colours of the charts, all from one scale: 1 in the window, {@link #PRESENTATION} in
 * presentation mode, and for an exported image its size over {@link #REFERENCE_WIDTH} x {@link #REFERENCE_HEIGHT}
 * ({@link #exportScale}), so a 1920 x 1080 export is drawn like the window's chart twice as large, whatever mode
 * the window is in.
 */
public final class ChartStyle {
    static final Color LOSS_RAW = new Color(70, 130, 200, 110);
    static final Color LOSS_SMOOTH = new Color(20, 60, 150);
    static final Color TRAIN = new Color(220, 110, 20);
    static final Color VAL = new Color(30, 120, 60);
    static final Color MARKER = new Color(140, 40, 160);
    static final Color CHANCE = new Color(200, 40, 40);
    static final Color BAND = new Color(60, 170, 90, 45);
    static final Color BAND_TEXT = new Color(30, 110, 55);
    static final Color CAPTION = new Color(70, 70, 70);
    static final Color[] LAYERS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207), new Color(0, 0, 0)};

    /** Scale of presentation mode in the window. */
    public static final float PRESENTATION = 1.6f;
    /** The image size an export is drawn at scale 1; larger images scale up (never down). */
    public static final int REFERENCE_WIDTH = 960;
    public static final int REFERENCE_HEIGHT = 540;

    private ChartStyle() {
    }

    /**
     * The scale a chart is drawn at in the window: 1, or in presentation mode up to {@link #PRESENTATION} as far as
     * the chart's size allows: text and gaps may take about half of its height and a third of its width, never less
     * than the normal size. (At 1280 x 800 the loss chart gets 1.6 and the two below about 1.35: at 1.6 their titles,
     * legends and axes would leave a plot a hundred pixels high.) In steps of 0.05, so that a resize by a few
     * pixels does not restyle.
     */
    public static float windowScale(boolean presentation, double width, double height) {
        if (!presentation) {
            return 1f;
        }
        if (!(width > 0 && height > 0)) {
            return PRESENTATION;
        }
        double fit = Math.min(height / 160, width / 170);
        return Math.max(1f, Math.min(PRESENTATION, (float) Math.floor(fit * 20) / 20f));
    }

    /** The scale of an exported image: 2 at 1920 x 1080, 1 at 960 x 540 and below. */
    public static float exportScale(int width, int height) {
        return Math.max(1f, Math.min(width / (float) REFERENCE_WIDTH, height / (float) REFERENCE_HEIGHT));
    }

    static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f * Math.max(1f, width), 4f * Math.max(1f, width)}, 0f);
    }

    static BasicStroke dotted(float width) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                new float[] {0.1f, 3.5f * Math.max(1f, width)}, 0f);
    }

    /**
     * The colours of the runs compared on the charts, one each, none of them the live run's (the loss's blues, the
     * train orange, the val green).
     */
    static final Color[] COMPARED = {new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(23, 170, 190), new Color(150, 150, 30), new Color(170, 30, 60), new Color(90, 90, 90),
        new Color(0, 120, 120)};

    /** Line width for a series: the loss's raw series stays thin. */
    static float lineWidth(float scale, boolean emphasis) {
        return (emphasis ? 2.2f : 1.2f) * scale;
    }

    static Font font(int style, float size, float scale) {
        return new Font(Font.SANS_SERIF, style, Math.round(size * scale));
    }

    /**
     * Fonts, gaps, axis strokes and background of a chart at {@code scale}; series strokes are the caller's.
     *
     * @param legendAtRight the legend right of the plot, not under it: for a chart short of height (presentation
     *                      mode in the window), where a row of legend would take a fifth of the plot
     */
    static void apply(JFreeChart chart, float scale, boolean legendAtRight) {
        chart.getTitle().setFont(font(Font.BOLD, 15, scale));
        chart.getTitle().setPadding(new RectangleInsets(2 * scale, 2 * scale, 2 * scale, 2 * scale));
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof LegendTitle legend) {
                legend.setItemFont(font(Font.PLAIN, 12, scale));
                legend.setItemLabelPadding(new RectangleInsets(2 * scale, 2 * scale, 2 * scale, 2 * scale));
                legend.setPadding(new RectangleInsets(scale, scale, scale, scale));
                legend.setPosition(legendAtRight ? RectangleEdge.RIGHT : RectangleEdge.BOTTOM);
            } else if (t instanceof TextTitle caption) {
                caption.setFont(font(Font.PLAIN, 11, scale));
                caption.setPadding(new RectangleInsets(4 * scale, 4 * scale, 2 * scale, 4 * scale));
            }
        }
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(2 * scale, 2 * scale, 2 * scale, 2 * scale));
        // live charts draw without anti-aliasing (software rasterising of smooth edges costs the trainer CPU time);
        // exported images switch it back on (ChartExport)
        chart.setAntiAlias(false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(new Color(250, 250, 252));
        plot.setDomainGridlinePaint(new Color(215, 215, 220));
        plot.setRangeGridlinePaint(new Color(215, 215, 220));
        BasicStroke grid = new BasicStroke(0.5f * scale, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL, 0f,
                new float[] {2f * scale, 2f * scale}, 0f);
        plot.setDomainGridlineStroke(grid);
        plot.setRangeGridlineStroke(grid);
        plot.setOutlineStroke(new BasicStroke(0.5f * scale));
        plot.setInsets(new RectangleInsets(4 * scale, 8 * scale, 4 * scale, 10 * scale));
        plot.setAxisOffset(new RectangleInsets(4 * scale, 4 * scale, 4 * scale, 4 * scale));
        for (ValueAxis axis : new ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
            axis.setLabelFont(font(Font.PLAIN, 13, scale));
            axis.setTickLabelFont(font(Font.PLAIN, 11, scale));
            axis.setLabelInsets(new RectangleInsets(3 * scale, 3 * scale, 3 * scale, 3 * scale));
            axis.setTickLabelInsets(new RectangleInsets(2 * scale, 4 * scale, 2 * scale, 4 * scale));
            axis.setTickMarkOutsideLength(2 * scale);
            axis.setMinorTickMarkOutsideLength(1.5f * scale);
            axis.setTickMarkStroke(new BasicStroke(0.5f * scale));
            axis.setAxisLineStroke(new BasicStroke(0.5f * scale));
        }
        for (int i = 0; i < plot.getAnnotations().size(); i++) {
            if (plot.getAnnotations().get(i) instanceof ChartMarks marks) {
                marks.setScale(scale);
            }
        }
        XYItemRenderer r = plot.getRenderer();
        if (r instanceof XYLineAndShapeRenderer lines) {
            lines.setLegendLine(new Line2D.Double(-7 * scale, 0, 7 * scale, 0));
        } else if (r instanceof XYDifferenceRenderer difference) {
            difference.setLegendLine(new Line2D.Double(-7 * scale, 0, 7 * scale, 0));
        }
    }

    /** The marks (reference lines and control markers) of a chart, or null. */
    static ChartMarks marks(JFreeChart chart) {
        for (Object a : chart.getXYPlot().getAnnotations()) {
            if (a instanceof ChartMarks marks) {
                return marks;
            }
        }
        return null;
    }

    /**
     * A series' line. A dense series (a point per iteration or so) gets bevelled joins and flat ends: with a
     * thousand short segments to a chart they look the same as round ones, which the rasteriser builds from curves
     * at every point (about a tenth of the drawing in a profile of live frames); a sparse series (a point per
     * epoch) keeps round joins.
     */
    static void strokeSeries(XYItemRenderer r, int series, float scale, boolean emphasis, boolean dense) {
        r.setSeriesStroke(series, dense
                ? new BasicStroke(lineWidth(scale, emphasis), BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL)
                : new BasicStroke(lineWidth(scale, emphasis), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
}
