package org.babysitter.app.charts;

import java.awt.geom.Rectangle2D;
import java.util.Locale;
import java.util.function.DoubleFunction;


import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Values on hover: the nearest point of every series at the mouse's x, in a label drawn inside the chart beside the
 * pointer, and the full text of any control marker at the pointer (its label on the chart may be shortened or left
 * out where markers crowd, {@link ChartMarks}). It is part of the chart's own scene, not a popup window: it goes when the pointer leaves the chart and can
 * never stay on screen after it, or keep the application alive after the window closes. It replaces JFreeChart's
 * per-item tooltips, which build a string and an entity for every point at every redraw; here the work happens only
 * when the mouse moves.
 */
final class ChartHover {
    /** How near (pixels) the pointer must be to a marker's line for the hover to name it. */
    static final double MARKER_TOLERANCE = 5;

    private ChartHover() {
    }

    /**
     * @param xLabel  "iteration" or "epoch"
     * @param yFormat how a value is written
     */
    static void install(ChartView viewer, String xLabel, DoubleFunction<String> yFormat) {
        viewer.getChart().getXYPlot().getRenderer().setDefaultCreateEntities(false); // no per-item entities at draw time
        viewer.setOnMouseMoved(e -> {
            String text = describe(viewer, e.getX(), e.getY(), xLabel, yFormat);
            if (text == null) {
                viewer.hideHover();
            } else {
                viewer.showHover(text, e.getX(), e.getY());
            }
        });
        viewer.setOnMouseExited(e -> viewer.hideHover());
    }

    static String describe(ChartView viewer, double mx, double my, String xLabel, DoubleFunction<String> yFormat) {
        PlotRenderingInfo info = viewer.getRenderingInfo() == null ? null : viewer.getRenderingInfo().getPlotInfo();
        if (info == null) {
            return null;
        }
        Rectangle2D area = info.getDataArea();
        if (area == null || !area.contains(mx, my)) {
            return null;
        }
        XYPlot plot = viewer.getChart().getXYPlot();
        double x = plot.getDomainAxis().java2DToValue(mx, area, plot.getDomainAxisEdge());
        if (!(plot.getDataset() instanceof XYSeriesCollection data) || data.getSeriesCount() == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        double at = Double.NaN;
        for (int s = 0; s < data.getSeriesCount(); s++) {
            XYSeries series = data.getSeries(s);
            int i = nearest(series, x);
            if (i < 0) {
                continue;
            }
            if (Double.isNaN(at)) {
                at = series.getX(i).doubleValue();
            }
            sb.append('\n').append(series.getKey()).append(": ").append(yFormat.apply(series.getY(i).doubleValue()));
        }
        ChartMarks marks = ChartStyle.marks(viewer.getChart());
        if (marks != null) {
            for (String change : marks.describe(mx, my, MARKER_TOLERANCE)) {
                sb.append('\n').append(change);
            }
        }
        if (Double.isNaN(at)) {
            return null;
        }
        String where = xLabel + " " + (at == Math.rint(at) ? Long.toString((long) at) : "~" + Math.round(at));
        return where + sb;
    }

    /** Index of the point nearest to x (points are in increasing x), or -1 for an empty series. */
    static int nearest(XYSeries series, double x) {
        int n = series.getItemCount();
        if (n == 0) {
            return -1;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (series.getX(mid).doubleValue() < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo > 0 && Math.abs(series.getX(lo - 1).doubleValue() - x) <= Math.abs(series.getX(lo).doubleValue() - x)) {
            return lo - 1;
        }
        return lo;
    }
}
