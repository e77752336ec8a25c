package org.babysitter.engine.search;

import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.TrainResult;
import org.babysitter.engine.train.Trainer;
import org.babysitter.engine.train.TrainerControls;

/**
 * One trial of a search as a plain value: the configs (the training seed among them) and the data they are meant
 * for. Nothing here refers to a window or a thread, so a trial can be sent elsewhere and run unchanged.
 *
 * @param index the trial's place in its search, from 0
 */
public record Trial(int index, NetConfig net, TrainConfig train, DataIdentity data) {
    public Trial {
        if (index < 0 || net == null || train == null || data == null) {
            throw new IllegalArgumentException("a trial needs an index >= 0, a net, a trainer config and a data identity");
        }
    }

    /** This trial's value of {@code h}. */
    public double value(Hyper h) {
        return h.read(net, train);
    }

    /**
     * Trains the trial on {@code data} (whose identity the caller has checked) and says how it ended. The trainer's
     * early break (NaN, inf, loss above 3x the first) ends it as diverged; {@code pruner} is asked after every epoch
     * and may stop it there; {@code controls} pause or stop it from outside (stopped from outside: cancelled).
     * Failures are caught and reported as a failed result, never thrown. {@code also} listen to the trainer too (a run
     * store's recorder).
     */
    public static TrialResult run(Trial trial, PreparedData data, Gemm gemm, Pruner pruner, TrainerControls controls,
                                  TrainingListener... also) {
        List<Double> val = new ArrayList<>();
        String[] pruned = new String[1];
        long start = System.nanoTime();
        try {
            Trainer trainer = Trainer.create(trial.net(), data.dataset(), data.preprocessor(), trial.train(), gemm, controls);
            for (TrainingListener l : also) {
                trainer.addListener(l);
            }
            trainer.addListener(new TrainingListener() {
                @Override
                public void onEpoch(EpochMetrics m) {
                    val.add(m.valAccuracy());
                    if (pruned[0] == null) {
                        pruned[0] = pruner.report(trial.index(), m.epoch(), m.epochs(), m.valAccuracy());
                        if (pruned[0] != null) {
                            controls.stop();
                        }
                    }
                }
            });
            TrainResult r = trainer.run();
            long nanos = System.nanoTime() - start;
            if (pruned[0] != null) {
                return new TrialResult(trial, TrialState.PRUNED, pruned[0], val, nanos);
            }
            if (r.diverged()) {
                return new TrialResult(trial, TrialState.DIVERGED, "epoch " + (val.size() + 1) + ": " + r.divergedReason(), val, nanos);
            }
            if (!r.completed()) {
                return new TrialResult(trial, TrialState.CANCELLED, "stopped after " + val.size() + " epochs", val, nanos);
            }
            return new TrialResult(trial, TrialState.DONE, null, val, nanos);
        } catch (RuntimeException | OutOfMemoryError e) {
            return new TrialResult(trial, TrialState.FAILED, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                    val, System.nanoTime() - start);
        }
    }
}
