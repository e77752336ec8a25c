package org.babysitter.engine.search;

import java.util.List;

/** What a {@link SearchRunner} reports, from its worker threads, one at a time. */
public sealed interface SearchEvent {
    /** A trial started training. */
    record TrialStarted(Trial trial) implements SearchEvent {
    }

    /** A trial ended, in whatever state: its result, the {@code finished}-th of {@code total}. */
    record TrialFinished(TrialResult result, int finished, int total) implements SearchEvent {
    }

    /** No trial runs any more: all finished, or the search was cancelled ({@code results} holds the finished ones). */
    record SearchEnded(List<TrialResult> results, boolean cancelled) implements SearchEvent {
        public SearchEnded {
            results = List.copyOf(results);
        }
    }
}
