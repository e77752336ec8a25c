package org.babysitter.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.babysitter.engine.cluster.ClusterConfig;
import org.babysitter.engine.cluster.ClusterEvent;
import org.babysitter.engine.cluster.ClusterNode;
import org.babysitter.engine.cluster.OwnedSearch;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.search.Pruner;
import org.babysitter.engine.search.SearchLog;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;

/**
 * {@code search --cluster}: this machine owns a search across machines ({@link OwnedSearch}) and prints what happens:
 * members joining and leaving, each trial sent, each remote epoch, each result with its member. Ctrl-C stops this
 * machine's trials, sends no more, and leaves the search; the trials that ended are in the store ({@code --resume}
 * goes on).
 */
final class ClusterOwner {
    private final ClusterConfig config;
    private final int jobs;
    private final int waitFor;
    private final PrintWriter out;
    private final PrintWriter err;

    ClusterOwner(ClusterConfig config, int jobs, int waitFor, PrintWriter out, PrintWriter err) {
        this.config = config;
        this.jobs = jobs;
        this.waitFor = waitFor;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the trials of {@code planned} that are not among {@code earlier} on the members; returns the results kept,
     * in the order they ended (without {@code earlier}), every one recorded in {@code log} (if given) as it arrived.
     */
    List<TrialResult> run(List<Trial> planned, List<TrialResult> earlier, SearchLog log, LoadedImages images, String location,
                          String dataHint, SplitSpec split, Preprocessing preprocessing, PreparedData data, Gemm gemm,
                          Pruner pruner, Function<TrialResult, String> line) throws IOException, InterruptedException {
        String here = config.bind() + ":" + config.port();
        OwnedSearch search = new OwnedSearch(config, jobs, waitFor, false);
        try (StopOnSignal stop = new StopOnSignal(err)) {
            stop.watch(search::cancel, "stopping the search: no more trials sent, this machine's trials stopped...");
            List<TrialResult> results = search.run(planned, earlier, log, images, location, dataHint, split, preprocessing, data, gemm,
                    pruner, new OwnedSearch.Listener() {
                        @Override
                        public void started(ClusterNode node) {
                            say("Search across machines: cluster %s, this machine %s (Babysitter %s) runs %d trial%s at once; a worker"
                                    + " joins with: babysitter worker --join %s --cluster %s --secret-file FILE --data PATH", config.name(),
                                    here, ClusterNode.VERSION, jobs, jobs == 1 ? "" : "s", here, config.name());
                        }

                        @Override
                        public void memberAdded(ClusterNode.MemberInfo m) {
                            say("member joined: %s (Babysitter %s, %s)", m.address(), m.version(), ClusterNode.role(m.runsTrials(), m.slots()));
                        }

                        @Override
                        public void memberRemoved(ClusterNode.MemberInfo m) {
                            say("member left: %s", m.address());
                        }

                        @Override
                        public void waiting(int workers) {
                            say("Waiting for %d worker%s to join (Ctrl-C stops)...", workers, workers == 1 ? "" : "s");
                        }

                        @Override
                        public void notRecorded(TrialResult r, IOException x) {
                            err.printf("error: trial %d could not be recorded in the store: %s%n", r.trial().index() + 1, x.getMessage());
                            err.flush();
                        }

                        @Override
                        public void event(ClusterEvent e) {
                            if (e instanceof ClusterEvent.Progress p) {
                                if (!p.member().equals(here)) {
                                    EpochMetrics m = p.metrics();
                                    say("trial %d epoch %d / %d on %s: cost %f, train %f, val %f, %.0f images/s", p.index() + 1, m.epoch(),
                                            m.epochs(), p.member(), m.loss(), m.trainAccuracy(), m.valAccuracy(), p.imagesPerSecond());
                                }
                            } else if (e instanceof ClusterEvent.Stopping p) {
                                say("trial %d on %s pruned: %s; stopping it there", p.index() + 1, p.member(), p.reason());
                            } else if (e instanceof ClusterEvent.Sent s) {
                                say("trial %d -> %s%s", s.index() + 1, s.member(), s.member().equals(here) ? " (this machine)" : "");
                            } else if (e instanceof ClusterEvent.Finished f) {
                                say("%s  [%s]", line.apply(f.result()), f.member());
                            } else if (e instanceof ClusterEvent.Refused r) {
                                say("member %s refused trial %d and gets no more: %s", r.member(), r.index() + 1, r.reason());
                            } else if (e instanceof ClusterEvent.Requeued q) {
                                say("trial %d queued again (%s: %s); nothing of it was recorded", q.index() + 1, q.member(), q.why());
                            } else if (e instanceof ClusterEvent.Duplicate d) {
                                say("trial %d: a second result, from %s, dropped", d.index() + 1, d.member());
                            }
                        }
                    });
            if (stop.signalled()) {
                say("Stopped: %d of %d trials ended here; the others run again with --resume", results.size(),
                        planned.size() - earlier.size());
            }
            say("Leaving the search");
            return results;
        }
    }

    private void say(String format, Object... args) {
        synchronized (out) {
            out.println(String.format(Locale.ROOT, format, args));
            out.flush();
        }
    }
}
