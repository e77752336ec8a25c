package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

/** The one-pass renderer still draws every series' whole line, and only the line. */
class LinesRendererTest {
    @Test
    void drawsEachSeriesLineEndToEndInOnePass() {
        XYSeries rising = new XYSeries("rising");
        XYSeries flat = new XYSeries("flat");
        for (int i = 0; i <= 1000; i++) {
            rising.add(i, i);
            flat.add(i, 250);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(rising);
        data.addSeries(flat);
        LinesRenderer r = new LinesRenderer();
        r.setSeriesPaint(0, Color.RED);
        r.setSeriesPaint(1, Color.BLUE);
        NumberAxis x = new NumberAxis();
        NumberAxis y = new NumberAxis();
        x.setRange(0, 1000);
        y.setRange(0, 1000);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        chart.setAntiAlias(false);
        chart.setBackgroundPaint(Color.WHITE);
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        ChartRenderingInfo info = new ChartRenderingInfo();
        chart.draw(g, new Rectangle2D.Double(0, 0, 400, 300), info);
        g.dispose();
        assertEquals(1, r.getPassCount());

        Rectangle2D area = info.getPlotInfo().getDataArea();
        int redColumns = 0;
        int blueColumns = 0;
        int columns = 0;
        for (int px = (int) Math.ceil(area.getMinX()) + 2; px < area.getMaxX() - 2; px++, columns++) {
            boolean red = false;
            boolean blue = false;
            for (int py = (int) area.getMinY(); py < area.getMaxY(); py++) {
                int rgb = img.getRGB(px, py) & 0xFFFFFF;
                red |= rgb == 0xFF0000;
                blue |= rgb == 0x0000FF;
            }
            redColumns += red ? 1 : 0;
            blueColumns += blue ? 1 : 0;
        }
        // both lines cross the whole data area (where they cross, one hides the other)
        assertTrue(columns > 300, "data area too small: " + columns);
        assertTrue(redColumns >= columns - 3, redColumns + " of " + columns + " columns show the rising line");
        assertTrue(blueColumns >= columns - 3, blueColumns + " of " + columns + " columns show the flat line");
        // the flat line sits at a quarter of the height, where value 250 maps to
        int row = (int) Math.round(y.valueToJava2D(250, area, plot.getRangeAxisEdge()));
        int mid = (int) area.getCenterX();
        assertTrue((img.getRGB(mid, row) & 0xFFFFFF) == 0x0000FF || (img.getRGB(mid, row - 1) & 0xFFFFFF) == 0x0000FF,
                "the flat line is not at y=250");
    }
}
