package org.babysitter.app.charts;

import java.awt.Color;
import java.awt.Font;

import org.babysitter.engine.metrics.Histogram;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultIntervalXYDataset;

/**
 * A {@link Histogram} as a small bar chart: each bin a bar over its own range, its height the bin's share of the values
 * (so histograms of different sizes compare), the values' range on the x axis, and a subtitle under the title (the
 * mean and std, say). {@link #set} replaces what it shows, with one redraw.
 */
public final class HistogramChart {
    private final JFreeChart chart;
    private final DefaultIntervalXYDataset data = new DefaultIntervalXYDataset();
    private final TextTitle subtitle = new TextTitle("");
    private final ChartView view;
    private final ReadableNumberAxis x;
    private final boolean fixedRange;
    private Histogram shown;

    /**
     * @param fixedRange the x axis stays at the first histogram's range (the init lesson's [-1, 1] in every chart, so
     *                   widths compare); otherwise it follows each histogram's own range
     */
    public HistogramChart(String title, Color colour, boolean fixedRange, Histogram first) {
        this.fixedRange = fixedRange;
        x = new ReadableNumberAxis(null, false);
        ReadableNumberAxis y = new ReadableNumberAxis(null, false);
        y.setTickLabelsVisible(false); // the shapes compare, not the exact shares (in the hover)
        y.setTickMarksVisible(false);
        XYBarRenderer bars = new XYBarRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(false);
        bars.setSeriesPaint(0, colour);
        XYPlot plot = new XYPlot(data, x, y, bars);
        chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.addSubtitle(subtitle);
        ChartStyle.apply(chart, 1f, false);
        chart.getTitle().setFont(ChartStyle.font(Font.BOLD, 11, 1f));
        subtitle.setFont(ChartStyle.font(Font.PLAIN, 10, 1f));
        subtitle.setPaint(ChartStyle.CAPTION);
        subtitle.setPadding(new RectangleInsets(0, 2, 1, 2));
        plot.setInsets(new RectangleInsets(2, 10, 2, 10)); // room for the end ticks' labels, centred under them
        plot.setRangeGridlinesVisible(false);
        x.setTickLabelFont(ChartStyle.font(Font.PLAIN, 10, 1f));
        set(first, "");
        x.setRange(first.low(), first.high());
        view = new ChartView(chart);
        view.setRestore(() -> {
            x.setRange(shown.low(), shown.high());
            y.setAutoRange(true);
        });
        view.setPrefSize(180, 118);
        view.setMinSize(120, 90);
    }

    /** Shows {@code h} with {@code caption} under the title (FX thread): one redraw. */
    public void set(Histogram h, String caption) {
        chart.setNotify(false);
        int n = h.bins();
        double[][] series = new double[6][n];
        double total = Math.max(1, h.total());
        for (int k = 0; k < n; k++) {
            series[0][k] = h.centre(k);
            series[1][k] = h.edge(k);
            series[2][k] = h.edge(k + 1);
            series[3][k] = h.count(k) / total;
            series[4][k] = 0;
            series[5][k] = series[3][k];
        }
        data.addSeries("values", series);
        subtitle.setText(caption);
        shown = h;
        if (!fixedRange) {
            // exactly the histogram's range: an automatic axis would widen a range of 1e-13 (vanishing gradients) to 1e-8
            x.setRange(h.low(), h.high());
        }
        chart.setNotify(true);
    }

    public ChartView view() {
        return view;
    }

    public String title() {
        return chart.getTitle().getText();
    }

    /** The caption under the title. */
    public String caption() {
        return subtitle.getText();
    }

    /** The chart (tests read its data). */
    JFreeChart chart() {
        return chart;
    }
}
