package org.babysitter.app.charts;

import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.babysitter.engine.io.AtomicFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * PNG or SVG export of a chart: a copy is taken on the FX thread (the live chart keeps changing), then drawn and
 * written off it, atomically (temp file + move). SVG is drawn by JFreeSVG: the same Java2D drawing as the PNG,
 * written as vector shapes and text (the title, ticks and caption stay text, searchable and sharp on a slide).
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

    /** The id of the caption line under an exported chart (a subtitle of the copy). */
    static final String CAPTION_ID = "caption";

    /**
     * Adds a line under the chart naming the run ({@code caption}, e.g. data, net, update rule, lr, reg, seed);
     * nothing for an empty one. Long captions wrap. The caption's font follows the chart's style ({@link ChartStyle}).
     */
    public static void addCaption(JFreeChart copy, String caption) {
        if (caption == null || caption.isBlank()) {
            return;
        }
        TextTitle t = new TextTitle(caption);
        t.setID(CAPTION_ID);
        t.setPosition(RectangleEdge.BOTTOM);
        t.setHorizontalAlignment(HorizontalAlignment.CENTER);
        t.setPaint(ChartStyle.CAPTION);
        t.setMaximumLinesToDisplay(3);
        copy.addSubtitle(0, t); // the first subtitle at the bottom is the bottom line, under the legend
    }

    /** Draws the copy at the given size and writes it as PNG. Any thread. */
    public static void writePng(JFreeChart copy, Path file, int width, int height) throws IOException {
        checkSize(width, height);
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, copy, width, height));
    }

    /** Draws the copy at the given size (in pixels, its view box) and writes it as SVG. Any thread. */
    public static void writeSvg(JFreeChart copy, Path file, int width, int height) throws IOException {
        checkSize(width, height);
        String svg = svg(copy, width, height);
        AtomicFiles.write(file, out -> out.write(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The chart drawn at the given size as an SVG document. */
    static String svg(JFreeChart copy, int width, int height) {
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        copy.draw(g2, new Rectangle2D.Double(0, 0, width, height));
        return g2.getSVGDocument();
    }

    /** Writes the copy in {@code format}. Any thread. */
    public static void write(JFreeChart copy, ImageFormat format, Path file, int width, int height) throws IOException {
        switch (format) {
            case PNG -> writePng(copy, file, width, height);
            case SVG -> writeSvg(copy, file, width, height);
        }
    }
}
