package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The export copy is detached from the live chart (data, title, legend, marks) and is written whole at the asked
 * size, as PNG or as SVG that an XML parser reads, with the caption naming the run in it.
 */
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

    /** The text of every text element of an SVG file parsed as XML (an external DTD is not fetched). */
    static List<String> svgTexts(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(file.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        NodeList texts = doc.getElementsByTagNameNS("*", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            out.add(texts.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void writesAnSvgThatParsesAsXmlWithTheCaptionTitleAndTicksAsText() throws Exception {
        XYSeries s = new XYSeries("loss");
        for (int i = 1; i <= 50; i++) {
            s.add(i, 2.3 / i);
        }
        JFreeChart copy = ChartExport.snapshot(chart(s));
        String caption = "built-in (9,000 train) | 3072-50-10 ReLU | momentum 0.9, lr 1e-4, reg 0.001, batch 100 | seed 0";
        ChartExport.addCaption(copy, caption);
        Path file = tmp.resolve("loss.svg");
        ChartExport.write(copy, ImageFormat.SVG, file, 1920, 1080);
        String joined = String.join(" ", svgTexts(file)).replaceAll("\\s+", " ");
        assertTrue(joined.contains(caption), "caption in the SVG's text: " + joined);
        assertTrue(joined.contains("Loss"), joined);
        String head = Files.readString(file).substring(0, 400);
        assertTrue(head.contains("width='1920") && head.contains("height='1080"), head);
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temp file left");
        }
    }

    @Test
    void theFormatComesFromTheFileNamesExtension() {
        assertEquals(ImageFormat.SVG, ImageFormat.of(Path.of("a/Loss.SVG")).orElseThrow());
        assertEquals(ImageFormat.PNG, ImageFormat.of(Path.of("loss.png")).orElseThrow());
        assertTrue(ImageFormat.of(Path.of("loss")).isEmpty());
        assertEquals(Path.of("x/loss.svg"), ImageFormat.SVG.withExtension(Path.of("x/loss")));
        assertEquals(Path.of("loss.png"), ImageFormat.PNG.withExtension(Path.of("loss.png")));
        assertEquals(Path.of("loss.svg.png"), ImageFormat.PNG.withExtension(Path.of("loss.svg")));
    }

    @Test
    void anExportScalesWithItsImageNotWithTheWindowsMode() {
        assertEquals(2f, ChartStyle.exportScale(1920, 1080), 1e-6);
        assertEquals(1f, ChartStyle.exportScale(800, 600), 1e-6);
        assertEquals(4f / 3, ChartStyle.exportScale(1280, 720), 1e-6);
        assertEquals(1f, ChartStyle.exportScale(4000, 300), 1e-6, "never smaller than the window's");
    }
}
