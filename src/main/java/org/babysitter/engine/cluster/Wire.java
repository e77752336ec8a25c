package org.babysitter.engine.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.search.TrialResult;

/**
 * How jobs and replies cross the network: JSON of the engine's records (as the run store keeps a search's spec), so
 * that nothing but {@link TrialTask} goes through Java serialization and the records' constructors check what arrives.
 */
final class Wire {
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** A reply as JSON: exactly one of the two is set. */
    record Reply(TrialResult ran, List<EpochMetrics> epochs, RunEvent.Finished finished, RunEvent.Diverged diverged, String refused) {
        Reply {
            if ((ran == null) == (refused == null)) {
                throw new IllegalArgumentException("a reply is a result or a refusal");
            }
        }
    }

    /** An epoch of trial {@code index} run by {@code member} for the owner's start {@code start}, as it is published. */
    record Epoch(String start, int index, UUID member, EpochMetrics metrics) {
        Epoch {
            if (start == null || index < 0 || member == null || metrics == null) {
                throw new IllegalArgumentException("an epoch message has its start, trial, member and metrics");
            }
        }
    }

    /** The owner's "stop trial {@code index}" (pruned, for {@code reason}), for the jobs of its start {@code start}. */
    record Stop(String start, int index, String reason) {
        Stop {
            if (start == null || index < 0 || reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a stop message has its start, trial and reason");
            }
        }
    }

    private Wire() {
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record that Jackson cannot write: " + e.getMessage(), e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("a " + type.getSimpleName() + " that does not read back: " + e.getMessage(), e);
        }
    }

    static String reply(TrialReply r) {
        return write(r instanceof TrialReply.Ran ran ? new Reply(ran.result(), ran.epochs(),
                ran.end() instanceof RunEvent.Finished f ? f : null, ran.end() instanceof RunEvent.Diverged d ? d : null, null)
                : new Reply(null, null, null, null, ((TrialReply.Refused) r).reason()));
    }

    static TrialReply reply(String member, String json) {
        Reply r = read(json, Reply.class);
        return r.ran() != null ? new TrialReply.Ran(member, r.ran(), r.epochs(),
                r.finished() != null ? r.finished() : r.diverged()) : new TrialReply.Refused(member, r.refused());
    }
}
