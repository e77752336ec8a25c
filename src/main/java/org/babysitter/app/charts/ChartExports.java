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
 * Copies of the charts are taken on the FX thread (the live ones keep changing); drawing and writing run as background
 * jobs, each file written whole or not at all.
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

    /** The file names {@link #exportAll} writes into a folder. */
    public static List<String> exportAllNames() {
        List<String> names = new ArrayList<>();
        for (ChartKind k : ChartKind.values()) {
            names.add(k.fileName() + ".png");
        }
        names.add("metrics.csv");
        return names;
    }

    /** Writes one chart as PNG at the given size, in the background. */
    public void exportChart(ChartKind kind, Path file, int width, int height) {
        if (!sizeOk(width, height)) {
            return;
        }
        JFreeChart copy = ChartExport.snapshot(charts.chart(kind));
        jobs.start("Exporting " + file.getFileName(), p -> {
            ChartExport.writePng(copy, file, width, height);
            return "Saved " + file;
        }, done("Export"));
    }

    /** Writes all charts as PNG and the run's metrics as CSV into a folder, in the background. */
    public void exportAll(Path folder, int width, int height) {
        if (!sizeOk(width, height)) {
            return;
        }
        List<JFreeChart> copies = new ArrayList<>();
        for (ChartKind k : ChartKind.values()) {
            copies.add(ChartExport.snapshot(charts.chart(k)));
        }
        RunHistory h = run.history();
        jobs.start("Exporting all charts", p -> {
            ChartKind[] kinds = ChartKind.values();
            for (int i = 0; i < kinds.length; i++) {
                if (p.isCancelled()) {
                    throw new CancellationException();
                }
                p.update((double) i / (kinds.length + 1), "Exporting " + kinds[i].fileName() + ".png");
                ChartExport.writePng(copies.get(i), folder.resolve(kinds[i].fileName() + ".png"), width, height);
            }
            h.writeCsv(folder.resolve("metrics.csv"));
            return "Saved " + kinds.length + " charts and metrics.csv to " + folder;
        }, done("Export"));
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
