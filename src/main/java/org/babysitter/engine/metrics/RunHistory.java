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
 * Everything one run reported, kept in order: a listener safe to read from another thread while the run goes
 * on (reads take a consistent copy). Writes the run as CSV, one row per iteration, with the epoch's
 * accuracies on the row that ended it.
 */
public final class RunHistory implements TrainingListener {
    private final List<IterationMetrics> iterations = new ArrayList<>();
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private final List<RunEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(RunEvent event) {
        events.add(event);
    }

    @Override
    public synchronized void onIteration(IterationMetrics metrics) {
        iterations.add(metrics);
    }

    @Override
    public synchronized void onEpoch(EpochMetrics metrics) {
        epochs.add(metrics);
    }

    public synchronized List<IterationMetrics> iterations() {
        return List.copyOf(iterations);
    }

    public synchronized List<EpochMetrics> epochs() {
        return List.copyOf(epochs);
    }

    public synchronized List<RunEvent> events() {
        return List.copyOf(events);
    }

    /** The CSV text: iteration, epoch, loss, learning_rate, reg, ratio_W1.., train_accuracy, val_accuracy. */
    public String toCsv() {
        List<IterationMetrics> its;
        List<EpochMetrics> eps;
        List<String> names = List.of();
        synchronized (this) {
            its = List.copyOf(iterations);
            eps = List.copyOf(epochs);
            for (RunEvent e : events) {
                if (e instanceof RunEvent.Started s) {
                    names = s.weightNames();
                }
            }
        }
        Map<Integer, EpochMetrics> byIteration = new HashMap<>();
        eps.forEach(e -> byIteration.put(e.iteration(), e));
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

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.9g", v);
    }

    /** For tests and the CLI: how many iterations were recorded. */
    public synchronized int size() {
        return iterations.size();
    }

    /** Empties the history (a new run). */
    public synchronized void clear() {
        iterations.clear();
        epochs.clear();
        events.clear();
    }

}
