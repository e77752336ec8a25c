package org.babysitter.app.charts;

import java.awt.geom.Ellipse2D;

import org.babysitter.engine.gradcheck.Difference;
import org.babysitter.engine.gradcheck.StepSweep;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A tensor's relative error against the step h, log-log, for 1-, 2- and 4-sided differences: lines of slope 1, 2 and 4
 * while truncation rules, rising again once round-off does. Errors of exactly 0 have no place on a log axis and are
 * left out.
 */
public final class StepSweepChart {
    private StepSweepChart() {
    }

    public static ChartView view(StepSweep s) {
        ChartView v = new ChartView(chart(s));
        v.setPrefSize(600, 330);
        v.setMinSize(380, 240);
        return v;
    }

    static JFreeChart chart(StepSweep s) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Difference d : Difference.values()) {
            XYSeries series = new XYSeries(d + " (slope " + d.order() + ")", false);
            for (StepSweep.Row r : s.rows()) {
                double e = r.error(d);
                if (e > 0) {
                    series.add(r.h(), e);
                }
            }
            data.addSeries(series);
        }
        ReadableLogAxis x = new ReadableLogAxis("step h", AxisTicks.LogStyle.POWER);
        x.setInverted(true); // h shrinks to the right, as one tries smaller steps
        ReadableLogAxis y = new ReadableLogAxis("relative error", AxisTicks.LogStyle.POWER);
        y.setSmallestValue(1e-16);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        for (int i = 0; i < Difference.values().length; i++) {
            renderer.setSeriesPaint(i, ChartStyle.LAYERS[i]);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        JFreeChart chart = new JFreeChart("Gradient check of " + s.tensor() + ": error against h", JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
        ChartStyle.apply(chart, 1f, true);
        return chart;
    }
}
