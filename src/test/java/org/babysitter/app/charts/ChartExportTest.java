package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export copy is detached from the live chart (data, title, legend) and is written whole at the asked size. */
class ChartExportTest {
    @TempDir
    Path tmp;

    private static JFreeChart chart(XYSeries series) {
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), new NumberAxis("x"), new NumberAxis("y"),
                new XYLineAndShapeRenderer(true, false));
        return new JFreeChart("Loss", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    @Test
    void theCopyDoesNotMoveWhenTheLiveChartDoes() {
        XYSeries live = new XYSeries("loss");
        for (int i = 0; i < 10; i++) {
            live.add(i, 2.3 - i * 0.1);
        }
        JFreeChart chart = chart(live);
        JFreeChart copy = ChartExport.snapshot(chart);
        live.add(10, 1.0);
        live.add(11, 0.9);
        assertEquals(10, copy.getXYPlot().getDataset().getItemCount(0));
        assertEquals(12, chart.getXYPlot().getDataset().getItemCount(0));
        assertNotSame(chart.getLegend(), copy.getLegend());
        assertNotSame(chart.getTitle(), copy.getTitle());
        assertEquals("Loss", copy.getTitle().getText());
    }

    @Test
    void writesAPngOfTheAskedSizeAtomically() throws Exception {
        XYSeries s = new XYSeries("loss");
        s.add(1, 2.0);
        s.add(2, 1.5);
        Path file = tmp.resolve("loss.png");
        ChartExport.writePng(ChartExport.snapshot(chart(s)), file, 321, 123);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(321, img.getWidth());
        assertEquals(123, img.getHeight());
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temp file left");
        }
        assertThrows(IllegalArgumentException.class, () -> ChartExport.writePng(chart(s), tmp.resolve("x.png"), 50, 100));
    }
}
