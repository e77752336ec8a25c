package org.babysitter.app.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.title.LegendTitle;

/** Fonts, strokes and colours of the charts, normal or for a projector (presentation mode). */
public final class ChartStyle {
    static final Color LOSS_RAW = new Color(70, 130, 200, 110);
    static final Color LOSS_SMOOTH = new Color(20, 60, 150);
    static final Color TRAIN = new Color(220, 110, 20);
    static final Color VAL = new Color(30, 120, 60);
    static final Color MARKER = new Color(140, 40, 160);
    static final Color CHANCE = new Color(200, 40, 40);
    static final Color BAND = new Color(60, 170, 90, 45);
    static final Color BAND_TEXT = new Color(30, 110, 55);
    static final Color[] LAYERS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207), new Color(0, 0, 0)};

    private ChartStyle() {
    }

    static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f * width, 4f * width}, 0f);
    }

    /** Line width for a series: the loss's raw series stays thin. */
    static float lineWidth(boolean presentation, boolean emphasis) {
        return (emphasis ? 2.2f : 1.2f) * (presentation ? 2.0f : 1.0f);
    }

    /** Applies fonts and background to a chart. */
    static void apply(JFreeChart chart, boolean presentation) {
        float scale = presentation ? 1.6f : 1.0f;
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(15 * scale)));
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(12 * scale)));
        }
        chart.setBackgroundPaint(Color.WHITE);
        // live charts draw without anti-aliasing (software rasterising of smooth edges costs the trainer CPU time);
        // exported images switch it back on (ChartExport)
        chart.setAntiAlias(false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(new Color(250, 250, 252));
        plot.setDomainGridlinePaint(new Color(215, 215, 220));
        plot.setRangeGridlinePaint(new Color(215, 215, 220));
        for (var axis : new org.jfree.chart.axis.Axis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
            axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(13 * scale)));
            axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(11 * scale)));
        }
        ChartMarks marks = marks(chart);
        if (marks != null) {
            marks.setScale(scale);
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
    static void strokeSeries(XYItemRenderer r, int series, boolean presentation, boolean emphasis, boolean dense) {
        r.setSeriesStroke(series, dense
                ? new BasicStroke(lineWidth(presentation, emphasis), BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL)
                : new BasicStroke(lineWidth(presentation, emphasis), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
}
