package org.babysitter.engine.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.search.Pruner;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.search.TrialState;
import org.babysitter.engine.train.TrainerControls;

/**
 * A member's side of a search across machines: its own copy of the data, loaded once, and the trials it is sent, run
 * with the same code a local search runs ({@link Trial#run}), as many at once as the member's executor has threads
 * (a worker: one; the owner: its {@code --jobs}); each trial's epochs go back with its result. A trial made for other images (its
 * checksum differs once split and preprocessed as the owner did) or by another version is refused, in words that name
 * the data and where to get it; nothing is copied over the network.
 */
public final class TrialHost {
    /** Where a member keeps its host, in Hazelcast's user context. */
    static final String KEY = "babysitter.trialHost";

    private final LoadedImages images;
    private final String location;
    private final Gemm gemm;
    private final Consumer<String> say;
    private final String version;
    private PreparedData prepared;
    private SplitSpec preparedSplit;
    private Preprocessing preparedBy;
    private final Set<TrainerControls> running = Collections.synchronizedSet(new HashSet<>());
    /** The trials running here by the owner's start and trial index ("START/INDEX"). */
    private final Map<String, Running> byTrial = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /**
     * @param images   the images this machine has
     * @param location where they were loaded from, in words ("--data /lab/cifar-10-batches-bin")
     * @param gemm     the products' backend
     * @param say      hears what the host runs and refuses, a line at a time (a worker prints it)
     */
    public TrialHost(LoadedImages images, String location, Gemm gemm, Consumer<String> say) {
        this(images, location, gemm, say, ClusterNode.VERSION);
    }

    TrialHost(LoadedImages images, String location, Gemm gemm, Consumer<String> say, String version) {
        if (images == null || location == null || gemm == null || say == null || version == null) {
            throw new IllegalArgumentException("a trial host needs its images, their location, a GEMM, a listener and a version");
        }
        this.images = images;
        this.location = location;
        this.gemm = gemm;
        this.say = say;
        this.version = version;
    }

    /** Where images loaded from {@code data} come from, in words ({@code null}: the built-in generated images). */
    public static String location(java.nio.file.Path data) {
        return data == null ? "built-in generated images" : "--data " + data.toAbsolutePath();
    }

    /** Where a worker gets the owner's data from {@code data} (null: built-in), said when it refuses a trial. */
    public static String dataHint(java.nio.file.Path data) {
        return data == null ? "the built-in generated images: start the worker without --data"
                : "the owner's --data " + data.getFileName() + "; CIFAR-10: babysitter download";
    }

    /** Runs {@code job} here, or says why not; never throws for a trial that fails (its result says so). */
    public TrialReply run(TrialJob job) {
        return run(job, epoch -> { });
    }

    /**
     * As {@link #run(TrialJob)}, {@code epochs} hearing each epoch as it ends (the member publishes it to the owner). A
     * trial the owner stops meanwhile ({@link #stop}) ends within its epoch and is reported pruned with the owner's reason.
     */
    public TrialReply run(TrialJob job, Consumer<EpochMetrics> epochs) {
        Trial trial = job.trial();
        if (!job.version().equals(version)) {
            return refuse(String.format(Locale.ROOT, "trial %d was sent by Babysitter %s, this worker is Babysitter %s:"
                    + " run the same version on every machine of the search", trial.index() + 1, job.version(), version));
        }
        DataIdentity mine;
        PreparedData data;
        try {
            data = prepare(job.split(), job.preprocessing());
            mine = DataIdentity.ofImages(data.dataset());
        } catch (RuntimeException e) {
            return refuse(String.format(Locale.ROOT, "trial %d's split (%s) does not fit this worker's data %s (%s): %s",
                    trial.index() + 1, job.split(), images.source(), location, e.getMessage()));
        }
        if (!mine.equals(trial.data())) {
            return refuse(String.format(Locale.ROOT, "trial %d was made for %s (%s), but this worker's data %s (%s) is %s (%s)."
                    + " Get the search's data here (%s) and start the worker with --data pointing at it; nothing is copied"
                    + " over the network.", trial.index() + 1, trial.data().name(), trial.data().checksum(), location,
                    images.source(), mine.name(), mine.checksum(), job.dataHint()));
        }
        say.accept(String.format(Locale.ROOT, "trial %d: lr %e, reg %e, %d epoch%s, seed %d...", trial.index() + 1,
                trial.train().learningRate(), trial.train().reg(), trial.train().epochs(), trial.train().epochs() == 1 ? "" : "s",
                trial.train().seed()));
        List<EpochMetrics> done = Collections.synchronizedList(new ArrayList<>());
        RunEvent[] end = new RunEvent[1];
        TrainerControls controls = new TrainerControls();
        String key = job.start() + "/" + trial.index();
        Running attempt = new Running(controls, new AtomicReference<>());
        running.add(controls);
        byTrial.put(key, attempt);
        if (stopped) {
            controls.stop();
        }
        TrialResult r;
        try {
            r = Trial.run(trial, data, gemm, Pruner.none(), controls, new TrainingListener() {
                @Override
                public void onEpoch(EpochMetrics m) {
                    done.add(m);
                    try {
                        epochs.accept(m);
                    } catch (RuntimeException e) {
                        // the owner hears this epoch with the result instead
                    }
                }

                @Override
                public void onEvent(RunEvent e) {
                    if (e instanceof RunEvent.Finished || e instanceof RunEvent.Diverged) {
                        end[0] = e;
                    }
                }
            });
        } finally {
            running.remove(controls);
            byTrial.remove(key, attempt);
        }
        String pruned = attempt.pruned().get();
        if (pruned != null && r.state() == TrialState.CANCELLED) {
            r = new TrialResult(trial, TrialState.PRUNED, pruned, r.valAccuracies(), r.nanos());
        }
        say.accept(String.format(Locale.ROOT, "trial %d %s: best val_acc %f in %.1f s%s", trial.index() + 1, r.state().word(),
                r.best(), r.nanos() / 1e9, r.reason() == null ? "" : " (" + r.reason() + ")"));
        return new TrialReply.Ran("here", r, done, end[0]);
    }

    /**
     * Takes {@code data} as these images split by {@code split} and preprocessed by {@code by} (the owner prepared them
     * already for its own plan), so that they are not prepared a second time.
     */
    public synchronized void prepared(SplitSpec split, Preprocessing by, PreparedData data) {
        this.prepared = data;
        this.preparedSplit = split;
        this.preparedBy = by;
    }

    /**
     * Stops trial {@code index} of the owner's start {@code start} if it runs here: it ends within the epoch and is
     * reported pruned, for {@code reason} (the owner's pruner's words). False if it does not run here (any more).
     */
    public boolean stop(String start, int index, String reason) {
        Running r = byTrial.get(start + "/" + index);
        if (r == null) {
            return false;
        }
        r.pruned().compareAndSet(null, reason);
        r.controls().stop();
        say.accept(String.format(Locale.ROOT, "trial %d stopped by the search's owner: %s", index + 1, reason));
        return true;
    }

    /** A trial running here and why the owner stopped it (null: it did not). */
    private record Running(TrainerControls controls, AtomicReference<String> pruned) {
    }

    /** Stops the trials running here (reported cancelled) and every later one at once: this member is leaving. */
    public void stopAll() {
        stopped = true;
        synchronized (running) {
            running.forEach(TrainerControls::stop);
        }
    }

    private TrialReply refuse(String why) {
        say.accept("refused: " + why);
        return new TrialReply.Refused("here", why);
    }

    /** The images split and preprocessed as {@code split} and {@code by} say, kept for the next trial of the same kind. */
    private synchronized PreparedData prepare(SplitSpec split, Preprocessing by) {
        if (prepared == null || !split.equals(preparedSplit) || by != preparedBy) {
            prepared = PreparedData.prepare(images, split, by);
            preparedSplit = split;
            preparedBy = by;
        }
        return prepared;
    }
}
