package org.babysitter.engine.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.runs.RunRecorder;
import org.babysitter.engine.train.TrainerControls;

/**
 * Runs a search's trials on {@code jobs} background threads, in trial order, each recorded in a {@link SearchLog} if
 * given. Pause holds the running trials between
 * iterations and starts no new one; resume goes on; cancel stops the running trials (reported cancelled) and starts
 * no more, keeping every finished result. Events go to the listener on the worker threads, one at a time.
 * Run one at a time ({@code jobs} 1), the same trials give the same results; with more, a pruner sees the trials'
 * epochs in the order they happen to come.
 */
public final class SearchRunner {
    /**
     * Trials at once by default: two on this 2-core machine, each product on one thread, beat one trial whose products
     * use both cores (measured: BENCHMARKS.md, "Hyperparameter search"). Never more than the cores.
     */
    public static final int DEFAULT_JOBS = Math.min(2, Runtime.getRuntime().availableProcessors());

    private final List<Trial> trials;
    private final PreparedData data;
    private final Gemm gemm;
    private final Pruner pruner;
    private final int jobs;
    private final Consumer<SearchEvent> listener;
    private final SearchLog log;
    private final Set<Integer> done = new HashSet<>();
    private final List<Thread> workers = new ArrayList<>();
    private final Set<TrainerControls> running = new HashSet<>();
    private final List<TrialResult> results = new ArrayList<>();
    /** Also listens to each trial's trainer (a window's live loss curves); null: nobody. */
    private Function<Trial, TrainingListener> trialListener;
    private int next;
    private int active;
    private boolean paused;
    private boolean cancelled;
    private boolean ended;

    public SearchRunner(List<Trial> trials, PreparedData data, Gemm gemm, Pruner pruner, int jobs,
                        Consumer<SearchEvent> listener) {
        this(trials, List.of(), null, data, gemm, pruner, jobs, listener);
    }

    /**
     * A runner that records every trial in {@code log} (null: nowhere) and takes {@code earlier} as already finished
     * (a resumed search): they are not run again, count among the results, and the pruner hears their epochs first.
     */
    public SearchRunner(List<Trial> trials, List<TrialResult> earlier, SearchLog log, PreparedData data, Gemm gemm,
                        Pruner pruner, int jobs, Consumer<SearchEvent> listener) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        }
        this.trials = List.copyOf(trials);
        this.data = data;
        this.gemm = gemm;
        this.pruner = pruner;
        this.jobs = jobs;
        this.listener = listener;
        this.log = log;
        for (TrialResult r : earlier) {
            done.add(r.trial().index());
            results.add(r);
            List<Double> val = r.valAccuracies();
            for (int e = 0; e < val.size(); e++) {
                pruner.report(r.trial().index(), e + 1, r.trial().train().epochs(), val.get(e));
            }
        }
    }

    /**
     * Before {@link #start}: {@code listener} makes, for each trial as it starts, a listener of its trainer (its
     * iterations' losses, on the trial's worker thread), so that a window can draw a curve per trial.
     */
    public synchronized void listenToTrials(Function<Trial, TrainingListener> listener) {
        if (!workers.isEmpty()) {
            throw new IllegalStateException("listen before the search starts");
        }
        this.trialListener = listener;
    }

    /** Starts the workers (once). */
    public synchronized void start() {
        if (!workers.isEmpty()) {
            throw new IllegalStateException("the search was started already");
        }
        int n = Math.max(Math.min(jobs, trials.size()), 1);
        active = n;
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(this::work, "search-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    public synchronized void pause() {
        paused = true;
        running.forEach(TrainerControls::pause);
    }

    public synchronized void resume() {
        paused = false;
        running.forEach(TrainerControls::resume);
        notifyAll();
    }

    public synchronized void cancel() {
        cancelled = true;
        running.forEach(TrainerControls::stop);
        notifyAll();
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /** Waits until no trial runs any more; returns the results in the order they finished. */
    public synchronized List<TrialResult> await() throws InterruptedException {
        while (!ended) {
            wait();
        }
        return List.copyOf(results);
    }

    /** The results so far, in the order they finished. */
    public synchronized List<TrialResult> results() {
        return List.copyOf(results);
    }

    private void work() {
        while (true) {
            Trial trial;
            TrainerControls controls = new TrainerControls();
            synchronized (this) {
                while (paused && !cancelled) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        cancelled = true;
                    }
                }
                while (next < trials.size() && done.contains(trials.get(next).index())) {
                    next++;
                }
                trial = cancelled || next >= trials.size() ? null : trials.get(next++);
                if (trial != null) {
                    running.add(controls);
                }
            }
            if (trial == null) {
                finishWorker();
                return;
            }
            emit(new SearchEvent.TrialStarted(trial));
            TrainingListener[] also = trialListener == null ? new TrainingListener[0]
                    : new TrainingListener[] {trialListener.apply(trial)};
            TrialResult r = log == null ? Trial.run(trial, data, gemm, pruner, controls, also) : runRecorded(trial, controls, also);
            SearchEvent.TrialFinished finished;
            synchronized (this) {
                running.remove(controls);
                results.add(r);
                finished = new SearchEvent.TrialFinished(r, results.size(), trials.size());
            }
            emit(finished);
        }
    }

    /** A trial recorded in the log; a store that fails makes the trial fail, with the store's words. */
    private TrialResult runRecorded(Trial trial, TrainerControls controls, TrainingListener... also) {
        RunRecorder recorder;
        try {
            recorder = log.begin(trial);
        } catch (IOException e) {
            return new TrialResult(trial, TrialState.FAILED, "recording the trial: " + e.getMessage(), List.of(), 0);
        }
        TrainingListener[] listeners = java.util.Arrays.copyOf(also, also.length + 1);
        listeners[also.length] = recorder;
        TrialResult r = Trial.run(trial, data, gemm, pruner, controls, listeners);
        try {
            log.end(recorder, r);
        } catch (IOException e) {
            return new TrialResult(trial, TrialState.FAILED, "recording the trial's end: " + e.getMessage(), r.valAccuracies(), r.nanos());
        }
        return r;
    }

    /** The last worker to finish reports the end (outside this lock: a listener may call back into the runner). */
    private void finishWorker() {
        SearchEvent.SearchEnded end;
        synchronized (this) {
            end = --active == 0 ? new SearchEvent.SearchEnded(results, cancelled) : null;
        }
        if (end != null) {
            emit(end);
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /** One event at a time, whichever worker sends it. */
    private void emit(SearchEvent e) {
        synchronized (listener) {
            listener.accept(e);
        }
    }
}
