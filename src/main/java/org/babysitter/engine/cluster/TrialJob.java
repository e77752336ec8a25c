package org.babysitter.engine.cluster;

import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.search.Trial;

/**
 * A trial as it travels to another machine: the trial's plain value (configs, seed, data identity) and how its data was
 * split and preprocessed, so that the worker prepares the same images from its own copy of the files and can check
 * their checksum against {@code trial.data()}. Nothing of the data itself travels.
 *
 * @param trial         the trial
 * @param split         the split the owner applied to the loaded images
 * @param preprocessing the preprocessing fitted on the training split
 * @param dataHint      where the owner's data comes from, in words, for a worker that lacks it ("CIFAR-10 binary
 *                      version: babysitter download")
 * @param version       the owner's Babysitter version; a worker of another version refuses the trial
 * @param start         the owner's start id ({@link ClusterNode#START}): names the topics its trials' epochs and stops
 *                      travel on, so that a restarted owner hears nothing of the jobs of its previous start
 */
public record TrialJob(Trial trial, SplitSpec split, Preprocessing preprocessing, String dataHint, String version, String start) {
    public TrialJob {
        if (trial == null || split == null || preprocessing == null) {
            throw new IllegalArgumentException("a trial job needs its trial, split and preprocessing");
        }
        if (dataHint == null || dataHint.isBlank()) {
            throw new IllegalArgumentException("a trial job says where its data comes from");
        }
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("a trial job carries its owner's version");
        }
        if (start == null || !start.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("a trial job carries its owner's start id (letters, digits and '-'), got \"" + start + "\"");
        }
    }

    /** A job of this Babysitter's version, sent by this process (its start id). */
    public static TrialJob of(Trial trial, SplitSpec split, Preprocessing preprocessing, String dataHint) {
        return new TrialJob(trial, split, preprocessing, dataHint, ClusterNode.VERSION, ClusterNode.START);
    }
}
