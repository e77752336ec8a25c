package org.babysitter.app.charts;

import java.util.List;

import org.babysitter.engine.diagnosis.SanityWizard;
import org.jfree.chart.JFreeChart;
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
 * The sanity checks' step 3 as the lecture tells it: the loss of the overfitted subset after every epoch on a log axis,
 * falling from the chance loss towards 0 when the net can memorize a handful of images (a flat line when it cannot).
 * Losses that are 0, NaN or infinite have no place on a log axis and are left out.
 */
public final class OverfitChart {
    private OverfitChart() {
    }

    /** The chart at {@code scale} (1 in the window, more in presentation mode): its fonts, lines and size. */
    public static ChartView view(SanityWizard.Measured.Overfit o, float scale) {
        ChartView v = new ChartView(chart(o, scale));
        v.setPrefSize(420 * scale, 300 * scale);
        v.setMinSize(300, 220);
        return v;
    }

    static JFreeChart chart(SanityWizard.Measured.Overfit o, float scale) {
        List<Double> losses = o.losses();
        XYSeries loss = new XYSeries("loss of the " + o.images() + " images", false);
        for (int i = 0; i < losses.size(); i++) {
            double l = losses.get(i);
            if (l > 0 && Double.isFinite(l)) {
                loss.add(i + 1, l);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection(loss);
        ReadableNumberAxis x = new ReadableNumberAxis("epoch", true);
        ReadableLogAxis y = new ReadableLogAxis("loss", AxisTicks.LogStyle.PLAIN_OR_POWER);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, ChartStyle.LOSS_SMOOTH);
        ChartStyle.strokeSeries(renderer, 0, scale, true, false);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        if (!losses.isEmpty() && losses.get(0) > 0 && Double.isFinite(losses.get(0))) {
            ValueMarker first = new ValueMarker(losses.get(0), ChartStyle.CAPTION, ChartStyle.dashed(1f));
            first.setLabel(String.format(java.util.Locale.ROOT, "first loss %.3f", losses.get(0)));
            first.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            first.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            first.setLabelOffset(new RectangleInsets(4, 4, 4, 6));
            first.setLabelPaint(ChartStyle.CAPTION);
            first.setLabelFont(ChartStyle.font(java.awt.Font.PLAIN, 11, scale));
            first.setLabelBackgroundColor(SweepChart.NO_BACKGROUND);
            plot.addRangeMarker(first, Layer.BACKGROUND);
        }
        JFreeChart chart = new JFreeChart(String.format(java.util.Locale.ROOT, "Overfit %d images: train accuracy %.2f",
                o.images(), o.trainAccuracy()), JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        ChartStyle.apply(chart, scale, false);
        return chart;
    }
}
