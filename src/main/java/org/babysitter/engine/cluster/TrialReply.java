package org.babysitter.engine.cluster;

import java.util.List;

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.search.TrialResult;

/** What a member answers to a {@link TrialJob}: the trial ran (however it ended), or the member refused it. */
public sealed interface TrialReply {
    /** The member that answered, as "HOST:PORT". */
    String member();

    /**
     * The trial ran there; {@code result} says how it ended (done, diverged, pruned, failed, cancelled) and
     * {@code epochs} are its epochs' metrics and {@code end} its trainer's last event (finished or diverged; null if
     * the trainer never ran), as its trainer reported them, for the owner's run store.
     */
    record Ran(String member, TrialResult result, List<EpochMetrics> epochs, RunEvent end) implements TrialReply {
        public Ran {
            if (member == null || result == null) {
                throw new IllegalArgumentException("a trial that ran has its member and result");
            }
            epochs = epochs == null ? List.of() : List.copyOf(epochs);
            if (end != null && !(end instanceof RunEvent.Finished) && !(end instanceof RunEvent.Diverged)) {
                throw new IllegalArgumentException("a trial's run ends finished or diverged, not " + end);
            }
        }

        public Ran(String member, TrialResult result) {
            this(member, result, List.of(), null);
        }
    }

    /**
     * The member did not run the trial (other data, another version, no data at all): the trial was not tried and can
     * go to another member; {@code reason} says why and what to do, for the user.
     */
    record Refused(String member, String reason) implements TrialReply {
        public Refused {
            if (member == null || reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a refusal has its member and reason");
            }
        }
    }
}
