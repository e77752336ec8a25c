package org.babysitter.app.charts;

import java.io.IOException;
import java.nio.file.Path;

import org.babysitter.engine.io.AtomicFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG export of a chart: a copy is taken on the FX thread (the live chart keeps changing), then drawn and
 * written off it, atomically (temp file + move).
 */
public final class ChartExport {
    public static final int MIN_SIZE = 100;
    public static final int MAX_SIZE = 8000;

    private ChartExport() {
    }

    /**
     * A copy of the chart and its data, safe to draw on another thread while the live chart keeps changing.
     * FX thread. (JFreeChart's clone shares the plot's datasets, the title and the legend with the original;
     * each is replaced by a copy of its own, which also detaches the copy from the live data.)
     */
    public static JFreeChart snapshot(JFreeChart chart) {
        try {
            JFreeChart copy = (JFreeChart) chart.clone();
            XYPlot plot = copy.getXYPlot();
            for (int i = 0; i < plot.getDatasetCount(); i++) {
                if (plot.getDataset(i) instanceof XYSeriesCollection data) {
                    plot.setDataset(i, (XYSeriesCollection) data.clone());
                }
            }
            // the title and legend objects are shared too, and both keep layout state while drawing
            TextTitle title = chart.getTitle();
            copy.setTitle(new TextTitle(title.getText(), title.getFont()));
            LegendTitle legend = chart.getLegend();
            if (legend != null) {
                copy.removeLegend();
                LegendTitle fresh = new LegendTitle(plot);
                fresh.setItemFont(legend.getItemFont());
                fresh.setPosition(legend.getPosition());
                fresh.setFrame(legend.getFrame());
                fresh.setMargin(legend.getMargin());
                fresh.setBackgroundPaint(legend.getBackgroundPaint());
                copy.addLegend(fresh);
            }
            copy.setAntiAlias(true);
            copy.setTextAntiAlias(true);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("chart cannot be copied", e);
        }
    }

    /** Checks a requested size; a clear message if it is not usable. */
    public static void checkSize(int width, int height) {
        if (width < MIN_SIZE || height < MIN_SIZE || width > MAX_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException("image size must be between " + MIN_SIZE + " and " + MAX_SIZE
                    + " pixels each way, got " + width + " x " + height);
        }
    }

    /** Draws the copy at the given size and writes it as PNG. Any thread. */
    public static void writePng(JFreeChart copy, Path file, int width, int height) throws IOException {
        checkSize(width, height);
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, copy, width, height));
    }
}
