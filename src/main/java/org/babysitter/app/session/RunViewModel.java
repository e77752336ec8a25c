package org.babysitter.app.session;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvaluation;
import org.babysitter.engine.metrics.RunEvent;

/** The current run as the status bar and the controls show it; updated only by the session's pump consumer. */
public final class RunViewModel {
    private static final long WINDOW_NANOS = 3_000_000_000L;

    private final ObjectProperty<RunState> state = new SimpleObjectProperty<>(RunState.IDLE);
    private final IntegerProperty iteration = new SimpleIntegerProperty();
    private final IntegerProperty totalIterations = new SimpleIntegerProperty();
    private final IntegerProperty epoch = new SimpleIntegerProperty();
    private final IntegerProperty epochs = new SimpleIntegerProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final DoubleProperty examplesPerSecond = new SimpleDoubleProperty();
    private final StringProperty elapsed = new SimpleStringProperty("");
    private final StringProperty eta = new SimpleStringProperty("");
    private final DoubleProperty learningRate = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty reg = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty lastLoss = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty lastValAccuracy = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty bestValAccuracy = new SimpleDoubleProperty(Double.NaN);
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty gemm = new SimpleStringProperty("");
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    private final ObjectProperty<RunEvent.Started> started = new SimpleObjectProperty<>();
    private final StringProperty data = new SimpleStringProperty("");
    private int batchSize = 1;
    private int iterationsPerEpoch = 1;
    private int changes;
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();
    private final ObjectProperty<RunEvaluation> evaluation = new SimpleObjectProperty<>();
    private final ObservableList<Finding> findingsView = FXCollections.unmodifiableObservableList(findings);
    private final ObservableList<LayerStatistics> layerSamples = FXCollections.observableArrayList();
    private final ObservableList<LayerStatistics> layerSamplesView = FXCollections.unmodifiableObservableList(layerSamples);

    void reset() {
        state.set(RunState.IDLE);
        iteration.set(0);
        totalIterations.set(0);
        epoch.set(0);
        epochs.set(0);
        progress.set(0);
        examplesPerSecond.set(0);
        elapsed.set("");
        eta.set("");
        learningRate.set(Double.NaN);
        reg.set(Double.NaN);
        lastLoss.set(Double.NaN);
        lastValAccuracy.set(Double.NaN);
        bestValAccuracy.set(Double.NaN);
        message.set("");
        started.set(null);
        changes = 0;
        window.clear();
        findings.clear();
        layerSamples.clear();
        evaluation.set(null);
        rewound.set(null);
    }

    void addFinding(Finding f) {
        findings.add(f);
    }

    /** A hand-over's layer samples, in one change of the list (its listeners redraw once). */
    void addLayerSamples(List<LayerStatistics> samples) {
        layerSamples.addAll(samples);
    }

    /**
     * What the trainer sampled inside the net so far, in order (read-only): each layer's activations, each weight's
     * gradient and update, with histograms. One change per hand-over of the pump.
     */
    public ObservableList<LayerStatistics> layerSamples() {
        return layerSamplesView;
    }

    /** The kept parameters evaluated after the run: the message gains the test accuracy. */
    void apply(RunEvaluation e) {
        evaluation.set(e);
        if (!Double.isNaN(e.testAccuracy()) && !message.get().isEmpty()) {
            message.set(message.get() + String.format(Locale.ROOT, " Test accuracy %.3f.", e.testAccuracy()));
        }
    }

    /** The evaluation of what the last run kept (per-class validation accuracy, test accuracy), or null. */
    public ReadOnlyObjectProperty<RunEvaluation> evaluationProperty() {
        return evaluation;
    }

    /** What the assistant said about the run so far, in order (read-only). */
    public ObservableList<Finding> findings() {
        return findingsView;
    }

    void setData(String source) {
        data.set(source);
    }

    void setState(RunState s) {
        state.set(s);
    }

    void setMessage(String m) {
        message.set(m);
    }

    void apply(RunEvent e) {
        e.accept(events);
    }

    /** What each kind of event changes. */
    private final RunEvent.Visitor events = new RunEvent.Visitor() {
        @Override
        public void started(RunEvent.Started s) {
            started.set(s);
            state.set(RunState.RUNNING);
            totalIterations.set(s.totalIterations());
            epochs.set(s.epochs());
            batchSize = s.batchSize();
            iterationsPerEpoch = s.iterationsPerEpoch();
            learningRate.set(s.learningRate());
            reg.set(s.reg());
            gemm.set(s.gemm());
            message.set(String.format(Locale.ROOT, "Training %s with %s on %,d images, %s of %d (%,d iterations per epoch).",
                    s.net(), s.updateRule(), s.trainSize(), s.batching(), s.batchSize(), s.iterationsPerEpoch()));
        }

        @Override
        public void paused(RunEvent.Paused e) {
            state.set(RunState.PAUSED);
            window.clear();
        }

        @Override
        public void resumed(RunEvent.Resumed e) {
            state.set(RunState.RUNNING);
            rewound.set(null);
        }

        @Override
        public void controlChanged(RunEvent.ControlChanged c) {
            changes++;
            if (c.control() == RunEvent.Control.LEARNING_RATE) {
                learningRate.set(c.to());
            } else {
                reg.set(c.to());
            }
        }

        @Override
        public void finished(RunEvent.Finished f) {
            rewound.set(null);
            state.set(f.completed() ? RunState.FINISHED : RunState.STOPPED);
            eta.set("");
            message.set(f.bestEpoch() == 0
                    ? String.format(Locale.ROOT, "%s after %,d iterations, before the first epoch ended.",
                    f.completed() ? "Finished" : "Stopped", f.iteration())
                    : String.format(Locale.ROOT, "%s after %,d iterations. Best validation accuracy %.3f (epoch %d); the net keeps those parameters.",
                    f.completed() ? "Finished" : "Stopped", f.iteration(), f.bestValAccuracy(), f.bestEpoch()));
        }

        @Override
        public void diverged(RunEvent.Diverged d) {
            state.set(RunState.DIVERGED);
            eta.set("");
            message.set("Diverged: " + d.reason() + "." + (d.bestEpoch() == 0 ? ""
                    : String.format(Locale.ROOT, " The net keeps the parameters of epoch %d (validation accuracy %.3f), the best before.",
                    d.bestEpoch(), d.bestValAccuracy())));
        }

        @Override
        public void rewound(RunEvent.Rewound r) {
            rewound.set(r);
            message.set(String.format(Locale.ROOT, "Paused at the break: %s. The net is back as it was after iteration %,d"
                    + " (loss %s then); lower lr and resume from there (the assistant's button), or resume as it is.",
                    r.reason(), r.toIteration(), Numbers.significant(r.lossThen(), 4)));
        }
    };

    private final ObjectProperty<RunEvent.Rewound> rewound = new SimpleObjectProperty<>();

    /** The run's last rewind at a break, or null: set while it waits paused there, cleared when it goes on. */
    public ReadOnlyObjectProperty<RunEvent.Rewound> rewoundProperty() {
        return rewound;
    }

    void apply(IterationMetrics m) {
        iteration.set(m.iteration());
        epoch.set((int) Math.ceil(m.epoch() - 1e-9));
        progress.set(totalIterations.get() == 0 ? 0 : (double) m.iteration() / totalIterations.get());
        learningRate.set(m.learningRate());
        reg.set(m.reg());
        lastLoss.set(m.loss());
        elapsed.set(duration(m.elapsedNanos()));
        window.addLast(new long[] {m.iteration(), m.elapsedNanos()});
        while (window.size() > 2 && m.elapsedNanos() - window.peekFirst()[1] > WINDOW_NANOS) {
            window.removeFirst();
        }
        long[] first = window.peekFirst();
        long its = m.iteration() - first[0];
        long nanos = m.elapsedNanos() - first[1];
        if (its > 0 && nanos > 0) {
            examplesPerSecond.set(its * (double) batchSize * 1e9 / nanos);
            long remaining = totalIterations.get() - m.iteration();
            eta.set(duration((long) (remaining * (double) nanos / its)));
        }
    }

    void apply(EpochMetrics m) {
        epoch.set(m.epoch());
        lastValAccuracy.set(m.valAccuracy());
        if (Double.isNaN(bestValAccuracy.get()) || m.valAccuracy() > bestValAccuracy.get()) {
            bestValAccuracy.set(m.valAccuracy());
        }
    }

    /** "1:05" or "1:02:03". */
    static String duration(long nanos) {
        long s = Math.max(0, nanos / 1_000_000_000L);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    public int iterationsPerEpoch() {
        return iterationsPerEpoch;
    }

    public ObjectProperty<RunState> stateProperty() {
        return state;
    }

    public IntegerProperty iterationProperty() {
        return iteration;
    }

    public IntegerProperty totalIterationsProperty() {
        return totalIterations;
    }

    public IntegerProperty epochProperty() {
        return epoch;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public DoubleProperty examplesPerSecondProperty() {
        return examplesPerSecond;
    }

    public StringProperty elapsedProperty() {
        return elapsed;
    }

    public StringProperty etaProperty() {
        return eta;
    }

    /** The learning rate the trainer reported last. */
    public DoubleProperty learningRateProperty() {
        return learningRate;
    }

    /** The reg the trainer reported last. */
    public DoubleProperty regProperty() {
        return reg;
    }

    public DoubleProperty lastLossProperty() {
        return lastLoss;
    }

    public DoubleProperty lastValAccuracyProperty() {
        return lastValAccuracy;
    }

    public DoubleProperty bestValAccuracyProperty() {
        return bestValAccuracy;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty gemmProperty() {
        return gemm;
    }

    /** How the current run started (null before a run): net, rule, lr, reg, seed. */
    public ObjectProperty<RunEvent.Started> startedProperty() {
        return started;
    }

    /** The data the current run trains on, as loaded. */
    public StringProperty dataProperty() {
        return data;
    }

    /**
     * One line naming the run, for exported charts: data, net, update rule, lr, reg, seed (and whether lr or reg
     * changed mid-run), or "" before a run.
     */
    public String caption() {
        RunEvent.Started s = started.get();
        if (s == null) {
            return "";
        }
        String source = data.get();
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        return String.format(Locale.ROOT, "%s (%,d train) | %s | %s, lr %s, reg %s, batch %d | seed %d%s",
                slash >= 0 ? source.substring(slash + 1) : source, s.trainSize(), s.net(), s.updateRule(),
                org.babysitter.engine.Numbers.exact(s.learningRate()), org.babysitter.engine.Numbers.exact(s.reg()),
                s.batchSize(), s.seed(), changes == 0 ? "" : " | " + changes + (changes == 1 ? " change" : " changes") + " mid-run (markers)");
    }
}
