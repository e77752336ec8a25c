package org.babysitter.engine.metrics;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.babysitter.engine.io.AtomicFiles;

/**
 * Everything one run reported, kept in order: a listener safe to read from another thread while the run goes on
 * (reads take a consistent copy). Writes the run as CSV, one row per iteration, with the epoch's accuracies on the
 * row that ended it.
 */
public final class RunHistory implements TrainingListener {
    private final List<RunReport> reports = new ArrayList<>();
    private int iterations;

    @Override
    public synchronized void onEvent(RunEvent event) {
        reports.add(event);
    }

    @Override
    public synchronized void onIteration(IterationMetrics metrics) {
        reports.add(metrics);
        iterations++;
    }

    @Override
    public synchronized void onEpoch(EpochMetrics metrics) {
        reports.add(metrics);
    }

    @Override
    public synchronized void onLayerStatistics(LayerStatistics statistics) {
        reports.add(statistics);
    }

    @Override
    public synchronized void onEvaluation(RunEvaluation evaluation) {
        reports.add(evaluation);
    }

    /** Every report so far, in the order the run made them. */
    public synchronized List<RunReport> reports() {
        return List.copyOf(reports);
    }

    public List<IterationMetrics> iterations() {
        return of(IterationMetrics.class);
    }

    public List<EpochMetrics> epochs() {
        return of(EpochMetrics.class);
    }

    public List<RunEvent> events() {
        return of(RunEvent.class);
    }

    private <T extends RunReport> List<T> of(Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (RunReport r : reports()) {
            if (kind.isInstance(r)) {
                out.add(kind.cast(r));
            }
        }
        return out;
    }

    /** The run's start, or null before it. */
    public RunEvent.Started started() {
        List<RunEvent> events = events();
        return events.isEmpty() || !(events.get(0) instanceof RunEvent.Started s) ? null : s;
    }

    /** The CSV text: iteration, epoch, loss, learning_rate, reg, ratio_W1.., train_accuracy, val_accuracy. */
    public String toCsv() {
        List<IterationMetrics> its = iterations();
        RunEvent.Started started = started();
        List<String> names = started == null ? List.of() : started.weightNames();
        Map<Integer, EpochMetrics> byIteration = new HashMap<>();
        epochs().forEach(e -> byIteration.put(e.iteration(), e));
        StringBuilder sb = new StringBuilder("iteration,epoch,loss,learning_rate,reg");
        int ratios = its.isEmpty() ? names.size() : its.get(0).updateRatios().size();
        for (int i = 0; i < ratios; i++) {
            sb.append(",update_ratio_").append(i < names.size() ? names.get(i) : "W" + (i + 1));
        }
        sb.append(",train_accuracy,val_accuracy\n");
        for (IterationMetrics m : its) {
            sb.append(m.iteration()).append(',').append(num(m.epoch())).append(',').append(num(m.loss())).append(',')
                    .append(num(m.learningRate())).append(',').append(num(m.reg()));
            for (double r : m.updateRatios()) {
                sb.append(',').append(num(r));
            }
            EpochMetrics e = byIteration.get(m.iteration());
            sb.append(',').append(e == null ? "" : num(e.trainAccuracy()));
            sb.append(',').append(e == null ? "" : num(e.valAccuracy()));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #toCsv()} atomically. */
    public void writeCsv(Path file) throws IOException {
        String csv = toCsv();
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(csv);
            w.flush();
        });
    }

    /** A number as the CSV writes it: 9 significant digits, "" for NaN (also {@code runs compare --csv}). */
    public static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.9g", v);
    }

    /** How many iterations were recorded. */
    public synchronized int size() {
        return iterations;
    }
}
