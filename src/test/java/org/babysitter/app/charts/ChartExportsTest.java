package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.babysitter.app.session.Notice;
import org.babysitter.app.session.RunState;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.linalg.EjmlGemm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Exporting a real (short) run: the format follows the file name, every image carries the run's caption, "export
 * all" writes the format asked for.
 */
@ExtendWith(ApplicationExtension.class)
class ChartExportsTest {
    @TempDir
    Path tmp;
    private Workbench session;

    @AfterEach
    void tearDown() {
        if (session != null) {
            session.shutdown();
        }
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
    }

    private static void waitFor(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    @Test
    void chartsAreWrittenAsPngOrSvgByTheirNameWithTheRunsCaption() throws Exception {
        List<Notice> notices = new CopyOnWriteArrayList<>();
        List<String> status = new CopyOnWriteArrayList<>();
        ChartExports exports = fx(() -> {
            session = new Workbench(new EjmlGemm(true));
            session.config().epochsProperty().set(1);
            RunCharts charts = new RunCharts(session.pump());
            session.run().addObserver(charts);
            session.data().loadBuiltIn();
            return new ChartExports(charts, session.run(), session.jobs(), notices::add, status::add);
        });
        waitFor("built-in data", () -> fx(() -> session.data().view().loadedProperty().get()));
        fx(() -> {
            session.run().start();
            return null;
        });
        waitFor("the run's end", () -> fx(() -> session.run().view().stateProperty().get()) == RunState.FINISHED);
        String caption = fx(() -> session.run().view().caption());
        assertTrue(caption.contains("seed 0") && caption.contains("lr 1e-4"), caption);

        fx(() -> {
            exports.exportChart(ChartKind.LOSS, tmp.resolve("loss.svg"), 1920, 1080);
            exports.exportChart(ChartKind.ACCURACY, tmp.resolve("accuracy"), 1280, 720); // no extension: PNG
            return null;
        });
        waitFor("two files", () -> Files.exists(tmp.resolve("loss.svg")) && Files.exists(tmp.resolve("accuracy.png")));
        waitFor("both reported", () -> status.stream().filter(s -> s.startsWith("Saved")).count() == 2);
        String text = String.join(" ", ChartExportTest.svgTexts(tmp.resolve("loss.svg"))).replaceAll("\\s+", " ");
        for (String part : caption.split(" \\| ")) {
            assertTrue(text.contains(part.trim()), "'" + part + "' in the SVG: " + text);
        }
        BufferedImage png = ImageIO.read(tmp.resolve("accuracy.png").toFile());
        assertEquals(1280, png.getWidth());
        assertEquals(720, png.getHeight());

        Path folder = Files.createDirectories(tmp.resolve("all"));
        fx(() -> {
            exports.exportAll(folder, 1600, 900, ImageFormat.SVG);
            return null;
        });
        waitFor("all written", () -> status.stream().anyMatch(s -> s.startsWith("Saved 3 charts (SVG)")));
        try (var files = Files.list(folder)) {
            assertEquals(Set.copyOf(ChartExports.exportAllNames(ImageFormat.SVG)),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        assertEquals(List.of("loss.svg", "accuracy.svg", "update-ratios.svg", "metrics.csv"),
                ChartExports.exportAllNames(ImageFormat.SVG));
        assertFalse(ChartExportTest.svgTexts(folder.resolve("update-ratios.svg")).isEmpty());
        assertTrue(notices.isEmpty(), notices.toString());
    }
}
