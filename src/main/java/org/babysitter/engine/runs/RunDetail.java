package org.babysitter.engine.runs;

import java.time.Instant;
import java.util.List;

import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.train.TrainConfig;

/**
 * Everything stored of one run.
 *
 * @param summary       its list row
 * @param reason        why it ended as it did, in words ("" while running or when it finished)
 * @param ended         when it ended (null while running or when interrupted)
 * @param netConfig     the architecture
 * @param trainConfig   the trainer's parameters, the seed among them
 * @param preprocessing the preprocessing in words
 * @param data          the data's name and checksum
 * @param iterations    iterations recorded
 * @param bestEpoch     the epoch whose parameters were kept (0: none)
 * @param hasBest       true if the kept parameters are stored ({@link RunStore#bestNpz})
 * @param findings      what the assistant said, in order
 * @param history       every report, in order
 */
public record RunDetail(RunSummary summary, String reason, Instant ended, NetConfig netConfig, TrainConfig trainConfig,
                        String preprocessing, DataIdentity data, int iterations, int bestEpoch, boolean hasBest,
                        List<Finding> findings, RunHistory history) {
    public RunDetail {
        findings = List.copyOf(findings);
        reason = reason == null ? "" : reason;
    }
}
