package org.babysitter.engine.cluster;

import java.util.Locale;
import java.util.function.Consumer;

import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.search.Pruner;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.train.TrainerControls;

/**
 * A worker's side of a search across machines: its own copy of the data, loaded once, and the trials it is sent, run
 * one at a time with the same code a local search runs ({@link Trial#run}). A trial made for other images (its
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

    /** Runs {@code job} here, or says why not; never throws for a trial that fails (its result says so). */
    public synchronized TrialReply run(TrialJob job) {
        Trial trial = job.trial();
        if (!job.version().equals(version)) {
            return refuse(String.format(Locale.ROOT, "trial %d was sent by Babysitter %s, this worker is Babysitter %s:"
                    + " run the same version on every machine of the search", trial.index() + 1, job.version(), version));
        }
        DataIdentity mine;
        try {
            mine = DataIdentity.ofImages(prepare(job.split(), job.preprocessing()).dataset());
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
        TrialResult r = Trial.run(trial, prepared, gemm, Pruner.none(), new TrainerControls());
        say.accept(String.format(Locale.ROOT, "trial %d %s: best val_acc %f in %.1f s%s", trial.index() + 1, r.state().word(),
                r.best(), r.nanos() / 1e9, r.reason() == null ? "" : " (" + r.reason() + ")"));
        return new TrialReply.Ran("here", r);
    }

    private TrialReply refuse(String why) {
        say.accept("refused: " + why);
        return new TrialReply.Refused("here", why);
    }

    /** The images split and preprocessed as {@code split} and {@code by} say, kept for the next trial of the same kind. */
    private PreparedData prepare(SplitSpec split, Preprocessing by) {
        if (prepared == null || !split.equals(preparedSplit) || by != preparedBy) {
            prepared = PreparedData.prepare(images, split, by);
            preparedSplit = split;
            preparedBy = by;
        }
        return prepared;
    }
}
