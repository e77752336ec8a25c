package org.babysitter.app.charts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import org.babysitter.app.session.BackgroundJobs;
import org.babysitter.app.session.Notice;
import org.babysitter.app.session.RunController;
import org.babysitter.engine.metrics.RunHistory;
import org.jfree.chart.JFreeChart;

/**
 * Exporting the run: one chart as an image, all of them with the metrics as CSV into a folder, or the metrics alone.
 * An image is PNG or SVG ({@link ImageFormat}): one chart in the format its file name's extension names, all of them in
 * the format asked for (PNG unless said). Every image is drawn at its size's scale ({@link ChartStyle#exportScale}:
 * fonts and lines grow with the image, whatever the window's mode) with a caption line naming the run
 * ({@code RunViewModel.caption()}: data, net, update rule, lr, reg, batch, seed, mid-run changes). Copies of the
 * charts are taken on the FX thread (the live ones keep changing); drawing and writing run as background jobs, each
 * file written whole or not at all.
 */
public final class ChartExports {
    private final RunCharts charts;
    private final RunController run;
    private final BackgroundJobs jobs;
    private final Consumer<Notice> notices;
    private final Consumer<String> status;

    public ChartExports(RunCharts charts, RunController run, BackgroundJobs jobs, Consumer<Notice> notices,
                        Consumer<String> status) {
        this.charts = charts;
        this.run = run;
        this.jobs = jobs;
        this.notices = notices;
        this.status = status;
    }

    /** The file names {@link #exportAll(Path, int, int)} writes into a folder: PNG images and metrics.csv. */
    public static List<String> exportAllNames() {
        return exportAllNames(ImageFormat.PNG);
    }

    /** The file names {@link #exportAll(Path, int, int, ImageFormat)} writes into a folder. */
    public static List<String> exportAllNames(ImageFormat format) {
        List<String> names = new ArrayList<>();
        for (ChartKind k : ChartKind.values()) {
            names.add(k.fileName() + "." + format.extension());
        }
        names.add("metrics.csv");
        return names;
    }

    /**
     * Writes one chart at the given size, in the background: SVG if the file name ends in .svg, else PNG (a name
     * without either extension gets .png).
     */
    public void exportChart(ChartKind kind, Path file, int width, int height) {
        if (!sizeOk(width, height)) {
            return;
        }
        ImageFormat format = ImageFormat.of(file).orElse(ImageFormat.PNG);
        Path target = format.withExtension(file);
        JFreeChart copy = charts.exportCopy(kind, caption(), width, height);
        jobs.start("Exporting " + target.getFileName(), p -> {
            ChartExport.write(copy, format, target, width, height);
            return "Saved " + target;
        }, done("Export"));
    }

    /** Writes all charts as PNG and the run's metrics as CSV into a folder, in the background. */
    public void exportAll(Path folder, int width, int height) {
        exportAll(folder, width, height, ImageFormat.PNG);
    }

    /** Writes all charts in {@code format} and the run's metrics as CSV into a folder, in the background. */
    public void exportAll(Path folder, int width, int height, ImageFormat format) {
        if (!sizeOk(width, height)) {
            return;
        }
        List<JFreeChart> copies = new ArrayList<>();
        String caption = caption();
        for (ChartKind k : ChartKind.values()) {
            copies.add(charts.exportCopy(k, caption, width, height));
        }
        RunHistory h = run.history();
        String ext = "." + format.extension();
        jobs.start("Exporting all charts", p -> {
            ChartKind[] kinds = ChartKind.values();
            for (int i = 0; i < kinds.length; i++) {
                if (p.isCancelled()) {
                    throw new CancellationException();
                }
                p.update((double) i / (kinds.length + 1), "Exporting " + kinds[i].fileName() + ext);
                ChartExport.write(copies.get(i), format, folder.resolve(kinds[i].fileName() + ext), width, height);
            }
            h.writeCsv(folder.resolve("metrics.csv"));
            return "Saved " + kinds.length + " charts (" + format + ") and metrics.csv to " + folder;
        }, done("Export"));
    }

    /** The line naming the run under every exported chart; "" before any run. */
    private String caption() {
        return run.view().caption();
    }

    /** Writes the run's metrics as CSV, in the background. */
    public void exportCsv(Path file) {
        RunHistory h = run.history();
        jobs.start("Exporting " + file.getFileName(), p -> {
            h.writeCsv(file);
            return "Saved " + file;
        }, done("Export"));
    }

    private boolean sizeOk(int width, int height) {
        try {
            ChartExport.checkSize(width, height);
            return true;
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Cannot export", e.getMessage(), true));
            return false;
        }
    }

    private BackgroundJobs.Outcome<String> done(String title) {
        return new BackgroundJobs.Outcome<>() {
            @Override
            public void succeeded(String line) {
                status.accept(line);
            }

            @Override
            public void failed(String message) {
                status.accept(title + " failed.");
                notices.accept(new Notice(title + " failed", message, true));
            }

            @Override
            public void cancelled() {
                status.accept(title + " cancelled.");
            }
        };
    }
}
