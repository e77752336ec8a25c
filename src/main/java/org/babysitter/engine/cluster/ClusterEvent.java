package org.babysitter.engine.cluster;

import java.util.List;

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.search.TrialResult;

/** What happens to a search's trials among the members, as {@link ClusterSearch} reports it, one at a time. */
public sealed interface ClusterEvent {
    /** Trial {@code index} (from 0) was sent to {@code member}. */
    record Sent(int index, String member) implements ClusterEvent {
    }

    /**
     * Trial {@code index} ended an epoch on {@code member} (heard live from the member, or with its result for an
     * epoch whose message was late): each epoch of the attempt that counts once, in order, before its {@link Finished}.
     *
     * @param imagesPerSecond the trial's training speed so far there (images trained / training time)
     */
    record Progress(int index, String member, EpochMetrics metrics, double imagesPerSecond) implements ClusterEvent {
        public Progress {
            if (index < 0 || member == null || metrics == null) {
                throw new IllegalArgumentException("a trial's progress has its index, member and metrics");
            }
            if (!(imagesPerSecond >= 0) && !Double.isNaN(imagesPerSecond)) {
                throw new IllegalArgumentException("a speed is >= 0 images/s (NaN: not measured), got " + imagesPerSecond);
            }
        }
    }

    /** The owner's pruner stops trial {@code index} on {@code member} for {@code reason}; its result says pruned. */
    record Stopping(int index, String member, String reason) implements ClusterEvent {
        public Stopping {
            if (index < 0 || member == null || reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a stop has its trial, member and reason");
            }
        }
    }

    /** A trial ended on {@code member}: its result, its epochs' metrics and its trainer's end (or null), kept once. */
    record Finished(TrialResult result, List<EpochMetrics> epochs, RunEvent end, String member, int done, int total)
            implements ClusterEvent {
        public Finished {
            epochs = List.copyOf(epochs);
        }
    }

    /** {@code member} refused trial {@code index} and gets no more trials of this search; the trial goes to another. */
    record Refused(int index, String member, String reason) implements ClusterEvent {
    }

    /** {@code member} left (or failed) while it ran trial {@code index}: the trial is queued again. */
    record Requeued(int index, String member, String why) implements ClusterEvent {
    }

    /** A second result of a trial already recorded (a trial run twice): dropped, not counted. */
    record Duplicate(int index, String member) implements ClusterEvent {
    }
}
