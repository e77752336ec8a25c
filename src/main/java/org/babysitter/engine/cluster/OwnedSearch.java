package org.babysitter.engine.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.search.Pruner;
import org.babysitter.engine.search.SearchLog;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;

/**
 * The owner's side of a search across machines, as {@code search --cluster} and the window's command center run it:
 * this machine's member runs {@code jobs} trials itself (its own {@link TrialHost}) and {@link ClusterSearch} sends the
 * others to the workers that join; each result is written to the search's {@link SearchLog} once, when it arrives
 * (its epochs with it), so a trial whose member was lost left nothing there and runs again elsewhere.
 * {@link #cancel} (any thread) sends no more trials and stops this machine's; the member leaves when {@link #run} returns.
 */
public final class OwnedSearch {
    /** How long a search may take: no limit a user would meet. */
    private static final Duration NO_LIMIT = Duration.ofDays(3650);

    /** What the owner hears, on the search's and Hazelcast's threads (each event once, one at a time). */
    public interface Listener {
        /** This machine's member is up, before any wait for workers. */
        default void started(ClusterNode node) {
        }

        default void memberAdded(ClusterNode.MemberInfo m) {
        }

        default void memberRemoved(ClusterNode.MemberInfo m) {
        }

        /** Waiting for {@code workers} workers to join before the first trial is sent. */
        default void waiting(int workers) {
        }

        /** What happened to a trial; a {@link ClusterEvent.Finished} is in the store by then (or said not to be). */
        void event(ClusterEvent e);

        /** A result that could not be written to the store. */
        default void notRecorded(TrialResult result, IOException why) {
        }
    }

    private final ClusterConfig config;
    private final int jobs;
    private final int waitFor;
    private final boolean hazelcastHook;
    private volatile ClusterSearch search;
    private volatile TrialHost host;
    private volatile boolean cancelled;

    /**
     * @param jobs          trials this machine runs at once
     * @param waitFor       workers to wait for before the first trial is sent (0: none; the owner starts alone)
     * @param hazelcastHook false leaves Ctrl-C to the caller (it cancels, then the member leaves)
     */
    public OwnedSearch(ClusterConfig config, int jobs, int waitFor, boolean hazelcastHook) {
        if (config == null || jobs < 1 || waitFor < 0) {
            throw new IllegalArgumentException("an owned search has a cluster, runs >= 1 trial at once and waits for >= 0 workers");
        }
        this.config = config;
        this.jobs = jobs;
        this.waitFor = waitFor;
        this.hazelcastHook = hazelcastHook;
    }

    /**
     * Runs the trials of {@code planned} that are not among {@code earlier} on the members; returns the results kept,
     * in the order they ended (without {@code earlier}), every one recorded in {@code log} (if given) as it arrived.
     *
     * @param location where this machine's images come from, in words
     * @param dataHint where a worker without them gets them, in words (said in a refusal)
     */
    public List<TrialResult> run(List<Trial> planned, List<TrialResult> earlier, SearchLog log, LoadedImages images, String location,
                                 String dataHint, SplitSpec split, Preprocessing preprocessing, PreparedData data, Gemm gemm,
                                 Pruner pruner, Listener listener) throws IOException, InterruptedException {
        for (TrialResult r : earlier) { // the pruner hears the trials that ended earlier first, as a local search's does
            List<Double> val = r.valAccuracies();
            for (int e = 0; e < val.size(); e++) {
                pruner.report(r.trial().index(), e + 1, r.trial().train().epochs(), val.get(e));
            }
        }
        TrialHost here = new TrialHost(images, location, gemm, said -> { });
        here.prepared(split, preprocessing, data);
        host = here;
        List<Integer> done = earlier.stream().map(r -> r.trial().index()).toList();
        List<TrialJob> todo = planned.stream().filter(t -> !done.contains(t.index()))
                .map(t -> TrialJob.of(t, split, preprocessing, dataHint)).toList();
        try (ClusterNode node = ClusterNode.start(config, here, jobs, hazelcastHook)) {
            listener.started(node);
            node.onMemberAdded(listener::memberAdded);
            node.onMemberRemoved(listener::memberRemoved);
            if (waitFor > 0 && !todo.isEmpty()) {
                listener.waiting(waitFor);
                while (!cancelled && !node.awaitMembers(1 + waitFor, Duration.ofMillis(500))) {
                    // a cancel ends the wait
                }
            }
            List<TrialResult> results = new ArrayList<>();
            ClusterSearch s = new ClusterSearch(node, cancelled ? List.of() : todo, pruner, e -> {
                if (e instanceof ClusterEvent.Finished f) {
                    if (log != null) {
                        try {
                            log.record(f.result(), f.epochs(), f.end());
                        } catch (IOException x) {
                            listener.notRecorded(f.result(), x);
                        }
                    }
                    results.add(f.result());
                }
                listener.event(e);
            });
            search = s;
            if (cancelled) {
                s.cancel();
            }
            try {
                s.run(NO_LIMIT);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(e);
            }
            return results;
        } finally {
            search = null;
        }
    }

    /** Sends no more trials and stops this machine's (any thread); {@link #run} returns once the running ones ended. */
    public void cancel() {
        cancelled = true;
        ClusterSearch s = search;
        if (s != null) {
            s.cancel();
        }
        TrialHost h = host;
        if (h != null) {
            h.stopAll();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** The members now, with the trials each runs and its speed; empty before the search is under way or after it. */
    public List<ClusterSearch.MemberStatus> members() {
        ClusterSearch s = search;
        try {
            return s == null ? List.of() : s.members();
        } catch (RuntimeException gone) { // the member has left
            return List.of();
        }
    }
}
