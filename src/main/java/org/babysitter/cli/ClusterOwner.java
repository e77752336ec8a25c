package org.babysitter.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.babysitter.engine.cluster.ClusterConfig;
import org.babysitter.engine.cluster.ClusterEvent;
import org.babysitter.engine.cluster.ClusterNode;
import org.babysitter.engine.cluster.ClusterSearch;
import org.babysitter.engine.cluster.TrialHost;
import org.babysitter.engine.cluster.TrialJob;
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
 * {@code search --cluster}: the search's owner is a member of a search across machines. It runs {@code jobs} trials
 * itself (its own {@link TrialHost}) and sends the others to the workers that join ({@link ClusterSearch}); the trials
 * are the ones a local search plans, the results go to the same {@link SearchLog} and come back to the same summary.
 * Each trial is written to the store once, when its result is in (its epochs come with it); a trial whose member was
 * lost left nothing there and runs again elsewhere. Ctrl-C stops the owner's trials, sends no more, and leaves the
 * search; the trials that ended are in the store ({@code --resume} goes on).
 */
final class ClusterOwner {
    /** How long a search may take: no limit a user would meet. */
    private static final Duration NO_LIMIT = Duration.ofDays(3650);

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
        for (TrialResult r : earlier) { // the pruner hears the trials that ended earlier first, as a local search's does
            List<Double> val = r.valAccuracies();
            for (int e = 0; e < val.size(); e++) {
                pruner.report(r.trial().index(), e + 1, r.trial().train().epochs(), val.get(e));
            }
        }
        TrialHost host = new TrialHost(images, location, gemm, said -> { });
        host.prepared(split, preprocessing, data);
        List<Integer> done = earlier.stream().map(r -> r.trial().index()).toList();
        List<TrialJob> todo = planned.stream().filter(t -> !done.contains(t.index()))
                .map(t -> TrialJob.of(t, split, preprocessing, dataHint)).toList();
        String here = config.bind() + ":" + config.port();
        try (StopOnSignal stop = new StopOnSignal(err); ClusterNode node = ClusterNode.start(config, host, jobs, false)) {
            say("Search across machines: cluster %s, this machine %s (Babysitter %s) runs %d trial%s at once; a worker joins"
                    + " with: babysitter worker --join %s --cluster %s --secret-file FILE --data PATH", config.name(), here,
                    ClusterNode.VERSION, jobs, jobs == 1 ? "" : "s", here, config.name());
            node.onMemberAdded(m -> say("member joined: %s (Babysitter %s%s)", m.address(), m.version(),
                    m.runsTrials() ? ", runs " + m.slots() + " trial" + (m.slots() == 1 ? "" : "s") + " at once" : ", runs no trials"));
            node.onMemberRemoved(m -> say("member left: %s", m.address()));
            if (waitFor > 0 && !todo.isEmpty()) {
                say("Waiting for %d worker%s to join (Ctrl-C stops)...", waitFor, waitFor == 1 ? "" : "s");
                node.awaitMembers(1 + waitFor, NO_LIMIT);
            }
            List<TrialResult> results = new ArrayList<>();
            ClusterSearch search = new ClusterSearch(node, todo, pruner, e -> {
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
                    if (log != null) {
                        try {
                            log.record(f.result(), f.epochs(), f.end());
                        } catch (IOException x) {
                            err.printf("error: trial %d could not be recorded in the store: %s%n", f.result().trial().index() + 1,
                                    x.getMessage());
                            err.flush();
                        }
                    }
                    results.add(f.result());
                    say("%s  [%s]", line.apply(f.result()), f.member());
                } else if (e instanceof ClusterEvent.Refused r) {
                    say("member %s refused trial %d and gets no more: %s", r.member(), r.index() + 1, r.reason());
                } else if (e instanceof ClusterEvent.Requeued q) {
                    say("trial %d queued again (%s: %s); nothing of it was recorded", q.index() + 1, q.member(), q.why());
                } else if (e instanceof ClusterEvent.Duplicate d) {
                    say("trial %d: a second result, from %s, dropped", d.index() + 1, d.member());
                }
            });
            stop.watch(() -> {
                search.cancel();
                host.stopAll();
            }, "stopping the search: no more trials sent, this machine's trials stopped...");
            try {
                search.run(NO_LIMIT);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(e);
            }
            if (stop.signalled()) {
                say("Stopped: %d of %d trials ended here; the others run again with --resume", results.size(), todo.size());
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

    /**
     * The address the owner listens on without {@code --bind}: the one of this machine's route outwards (no packet is
     * sent: a UDP socket only picks a route), or the loopback address on a machine without a route.
     */
    static String defaultBind() {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 9)); // TEST-NET-1: any routed address
            InetAddress a = s.getLocalAddress();
            return a == null || a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        } catch (IOException | RuntimeException e) {
            return "127.0.0.1";
        }
    }
}
