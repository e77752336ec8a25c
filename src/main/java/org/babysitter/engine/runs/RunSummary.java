package org.babysitter.engine.runs;

import java.time.Instant;
import java.util.List;

/**
 * One row of the run list: what a runs panel or {@code runs list} shows of a run.
 *
 * @param id          the run's number in its store
 * @param created     when it started
 * @param data        the data's name
 * @param net         the architecture in words
 * @param rule        the update rule in words
 * @param lr          the initial learning rate
 * @param reg         the initial reg
 * @param bestVal     the best validation accuracy so far (train accuracy without validation images); NaN before an epoch
 * @param epochsDone  epochs completed
 * @param epochs      epochs planned
 * @param tags        in alphabetical order
 * @param deleted     true if soft-deleted (listed only when asked, restorable by {@link RunStore#undelete})
 */
public record RunSummary(long id, String name, RunState state, Instant created, String data, String net, String rule,
                         double lr, double reg, double bestVal, int epochsDone, int epochs, List<String> tags, String note,
                         boolean deleted) {
    public RunSummary {
        if (id < 1 || name == null || state == null || created == null) {
            throw new IllegalArgumentException("a run summary needs an id, a name, a state and a time");
        }
        tags = List.copyOf(tags);
        note = note == null ? "" : note;
    }
}
