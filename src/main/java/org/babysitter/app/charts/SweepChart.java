package org.babysitter.app.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;

import java.util.List;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.diagnosis.LearningRateSweep;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A learning-rate sweep as the lecture draws it: the loss after the short run against the rate on a log axis, each
 * point coloured by its reading (too low grey, good green, too high red) over a band of the same colour marking the
 * rates read so (each band reaches half a decade either side of its points), a diverged run drawn at the 3x line it
 * crossed, the first loss as a dashed reference, and the suggested rate as a vertical line.
 */
public final class SweepChart {
    private static final double HALF_DECADE = Math.sqrt(10);
    /** Marker labels without JFreeChart's grey box: the text alone reads better over the coloured bands. */
    static final Color NO_BACKGROUND = new Color(0, 0, 0, 0);

    private SweepChart() {
    }

    /** The chart at {@code scale} (1 in the window, more in presentation mode): its fonts, lines and size. */
    public static ChartView view(LearningRateSweep.Result r, float scale) {
        ChartView v = new ChartView(chart(r, scale));
        v.setPrefSize(560 * scale, 300 * scale);
        v.setMinSize(400, 240);
        return v;
    }

    static JFreeChart chart(LearningRateSweep.Result r, float scale) {
        double start = r.points().get(0).firstLoss();
        double ceiling = 3 * start;
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries all = new XYSeries("loss after " + r.iterations() + " iterations", false);
        XYSeries[] by = new XYSeries[LearningRateSweep.Verdict.values().length];
        for (LearningRateSweep.Verdict v : LearningRateSweep.Verdict.values()) {
            by[v.ordinal()] = new XYSeries(v.words().substring(0, v.words().indexOf(':')), false);
        }
        for (LearningRateSweep.Point p : r.points()) {
            double y = p.diverged() || !Double.isFinite(p.lastLoss()) ? ceiling : Math.min(p.lastLoss(), ceiling);
            all.add(p.learningRate(), y);
            by[p.verdict().ordinal()].add(p.learningRate(), y);
        }
        data.addSeries(all);
        for (XYSeries s : by) {
            data.addSeries(s);
        }
        ReadableLogAxis x = new ReadableLogAxis("learning rate", AxisTicks.LogStyle.POWER);
        ReadableNumberAxis y = new ReadableNumberAxis("loss", false);
        y.setUpperMargin(0.14); // room above the 3x line (where diverged runs sit) for the ranges' names
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesPaint(0, new Color(150, 150, 150));
        renderer.setSeriesShapesVisible(0, false);
        renderer.setSeriesVisibleInLegend(0, true);
        Color[] colours = {new Color(120, 120, 120), ChartStyle.VAL, ChartStyle.CHANCE};
        for (int i = 0; i < by.length; i++) {
            renderer.setSeriesLinesVisible(i + 1, false);
            renderer.setSeriesShape(i + 1, new Ellipse2D.Double(-5, -5, 10, 10));
            renderer.setSeriesPaint(i + 1, colours[i]);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        // under the ranges' bands and names (a name is never crossed by the line), the points over all
        if (!Double.isNaN(r.suggested())) {
            ValueMarker suggested = new ValueMarker(r.suggested(), ChartStyle.VAL, ChartStyle.dashed(1.5f));
            suggested.setLabel("suggested " + Numbers.exact(r.suggested()));
            // at the bottom, clear of the ranges' names at the top and of the points (losses well above 0)
            suggested.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            suggested.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            suggested.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
            suggested.setLabelPaint(ChartStyle.BAND_TEXT);
            suggested.setLabelFont(ChartStyle.font(java.awt.Font.PLAIN, 11, scale));
            suggested.setLabelBackgroundColor(NO_BACKGROUND);
            plot.addDomainMarker(suggested, Layer.BACKGROUND);
        }
        ranges(plot, r, colours, scale);
        ValueMarker first = new ValueMarker(start, ChartStyle.CAPTION, ChartStyle.dashed(1f));
        first.setLabel("first loss " + String.format(java.util.Locale.ROOT, "%.3f", start));
        inside(first, scale);
        plot.addRangeMarker(first, Layer.BACKGROUND);
        ValueMarker limit = new ValueMarker(ceiling, ChartStyle.CHANCE, new BasicStroke(1f));
        limit.setLabel("3x the first: diverged");
        inside(limit, scale);
        // at the left: the diverged runs' points sit on this line at the right
        limit.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
        limit.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addRangeMarker(limit, Layer.BACKGROUND);
        JFreeChart chart = new JFreeChart("Learning-rate sweep", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartStyle.apply(chart, scale, false);
        return chart;
    }

    /**
     * The too-low, good and too-high ranges: a light band per run of neighbouring rates read the same, half a decade
     * either side of its points, named at its top.
     */
    private static void ranges(XYPlot plot, LearningRateSweep.Result r, Color[] colours, float scale) {
        List<LearningRateSweep.Point> points = r.points().stream()
                .sorted(java.util.Comparator.comparingDouble(LearningRateSweep.Point::learningRate)).toList();
        int from = 0;
        for (int i = 1; i <= points.size(); i++) {
            if (i < points.size() && points.get(i).verdict() == points.get(from).verdict()) {
                continue;
            }
            LearningRateSweep.Verdict v = points.get(from).verdict();
            Color c = colours[v.ordinal()];
            IntervalMarker band = new IntervalMarker(points.get(from).learningRate() / HALF_DECADE,
                    points.get(i - 1).learningRate() * HALF_DECADE, new Color(c.getRed(), c.getGreen(), c.getBlue(), 28));
            band.setLabel(v.words().substring(0, v.words().indexOf(':')));
            band.setLabelFont(ChartStyle.font(java.awt.Font.PLAIN, 11, scale));
            band.setLabelPaint(c.darker());
            band.setLabelAnchor(RectangleAnchor.TOP);
            band.setLabelTextAnchor(TextAnchor.TOP_CENTER);
            band.setLabelOffset(new RectangleInsets(4, 2, 2, 2));
            band.setLabelBackgroundColor(new Color(250, 250, 252, 210)); // the plot's background: hides the lines under it
            plot.addDomainMarker(band, Layer.BACKGROUND);
            from = i;
        }
    }

    /** The label under its line at the plot's right edge, inside the plot. */
    private static void inside(ValueMarker m, float scale) {
        m.setLabelFont(ChartStyle.font(java.awt.Font.PLAIN, 11, scale));
        m.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        m.setLabelOffset(new RectangleInsets(4, 4, 4, 6));
        m.setLabelPaint(ChartStyle.CAPTION);
        m.setLabelBackgroundColor(NO_BACKGROUND);
    }
}
