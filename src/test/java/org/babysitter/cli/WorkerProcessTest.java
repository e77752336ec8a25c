package org.babysitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.cluster.ClusterConfig;
import org.babysitter.engine.cluster.ClusterEvent;
import org.babysitter.engine.cluster.ClusterSearch;
import org.babysitter.engine.cluster.ClusterNode;
import org.babysitter.engine.cluster.TrialJob;
import org.babysitter.engine.cluster.TrialReply;
import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.search.Dimension;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.Pruner;
import org.babysitter.engine.search.PrunerSpec;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.search.TrialState;
import org.babysitter.engine.train.TrainerControls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code babysitter worker} in a second JVM on 127.0.0.1, this test's JVM the search's owner: a trial runs there and
 * its result equals the same trial run here, its epochs heard live; the owner's pruner stops a trial there; a worker
 * with another secret or of another version is not let in and says so; a worker killed mid-trial loses nothing.
 */
class WorkerProcessTest {
    static final String SECRET = "the lab's shared secret";
    static final String SECRET_VAR = "BABYSITTER_TEST_SECRET";
    static final SplitSpec SPLIT = new SplitSpec(200, 500, 100);

    /** A babysitter JVM (a worker, or a search's owner), its lines read as they come. */
    static final class Worker implements AutoCloseable {
        final Process process;
        final List<String> out = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Worker(String secret, int ownerPort, int port) throws IOException {
            this(secret, List.of(), List.of("worker", "--join", "127.0.0.1:" + ownerPort, "--cluster", "t", "--secret-env", SECRET_VAR,
                    "--bind", "127.0.0.1", "--port", Integer.toString(port), "--gemm", "ejml"));
        }

        /** A JVM running {@code babysitter ARGS} (a worker, or a search's owner), with {@code jvm} options first. */
        Worker(String secret, List<String> jvm, List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
            command.addAll(jvm);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put(SECRET_VAR, secret);
            process = pb.start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        out.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        int waitFor(long seconds) throws InterruptedException {
            assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "the worker ended within " + seconds + " s: " + out);
            reader.join(5000);
            return process.exitValue();
        }

        /** Lines starting with {@code prefix} so far. */
        long count(String prefix) {
            synchronized (out) {
                return out.stream().filter(l -> l.startsWith(prefix)).count();
            }
        }

        boolean awaitLine(String prefix, long seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                synchronized (out) {
                    if (out.stream().anyMatch(l -> l.startsWith(prefix))) {
                        return true;
                    }
                }
                Thread.sleep(100);
            }
            return false;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aWorkerWithAnotherSecretOrOfAnotherVersionIsNotLetInAndSaysWhy() throws Exception {
        int ownerPort = freePort();
        List<String> otherVersion = List.of("worker", "--join", "127.0.0.1:" + ownerPort, "--cluster", "t", "--secret-env", SECRET_VAR,
                "--bind", "127.0.0.1", "--port", Integer.toString(freePort()), "--gemm", "ejml");
        try (ClusterNode owner = ClusterNode.start(new ClusterConfig("t", SECRET, List.of(), "127.0.0.1", ownerPort), null);
             Worker stranger = new Worker("not the lab's secret", ownerPort, freePort());
             Worker older = new Worker(SECRET, List.of("-Dbabysitter.cluster.version=0.0.9"), otherVersion)) {
            int code = stranger.waitFor(60);
            assertEquals(Main.BAD_INPUT, code, stranger.out.toString());
            assertTrue(stranger.out.stream().anyMatch(l -> l.contains("127.0.0.1:" + ownerPort + " answers but did not let this member in")),
                    stranger.out.toString());

            assertEquals(Main.BAD_INPUT, older.waitFor(60), older.out.toString());
            assertTrue(older.out.stream().anyMatch(l -> l.contains("the search's member 127.0.0.1:" + ownerPort + " runs Babysitter "
                    + ClusterNode.VERSION + ", this one 0.0.9: refused")), "names both versions: " + older.out);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (owner.members().size() > 1 && System.nanoTime() < end) {
                Thread.sleep(100); // the refused member has left
            }
            assertEquals(1, owner.members().size(), "the owner is alone again: " + owner.members());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aWorkerKilledMidTrialHasItsTrialRunElsewhereAndNoResultIsLostOrCountedTwice() throws Exception {
        PreparedData data = PreparedData.prepare(BuiltInData.generate(), SPLIT, Preprocessing.MEAN_IMAGE);
        SearchSpec spec = new SearchSpec(SearchSpec.Strategy.RANDOM, Map.of(Hyper.LR, Dimension.log(1e-5, 1e-3),
                Hyper.REG, Dimension.fixed(1e-3)), List.of(), 4, 3, 0, 13, PrunerSpec.NONE);
        List<TrialJob> jobs = spec.trials(data.preprocessor().features(), data.dataset().classCount(),
                DataIdentity.ofImages(data.dataset())).stream()
                .map(t -> TrialJob.of(t, SPLIT, Preprocessing.MEAN_IMAGE, "built-in generated images")).toList();
        int ownerPort = freePort();
        List<ClusterEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (ClusterNode owner = ClusterNode.start(new ClusterConfig("t", SECRET, List.of(), "127.0.0.1", ownerPort), null);
             Worker doomed = new Worker(SECRET, ownerPort, freePort());
             Worker survivor = new Worker(SECRET, ownerPort, freePort())) {
            assertTrue(owner.awaitMembers(3, Duration.ofSeconds(40)), "both workers joined: " + doomed.out + survivor.out);
            ClusterSearch search = new ClusterSearch(owner, jobs, events::add);
            Thread killer = new Thread(() -> {
                try {
                    if (doomed.awaitLine("trial ", 40)) {
                        doomed.process.destroyForcibly(); // SIGKILL: kill -9
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            killer.start();
            List<TrialResult> results = search.run(Duration.ofSeconds(90));
            killer.join();
            assertTrue(!doomed.process.isAlive(), "the doomed worker was killed");
            assertEquals(4, results.size(), events.toString());
            assertEquals(List.of(0, 1, 2, 3), results.stream().map(r -> r.trial().index()).sorted().toList(), "each trial once");
            assertTrue(events.stream().anyMatch(e -> e instanceof ClusterEvent.Requeued), "the killed worker's trial was queued again: " + events);
            assertTrue(events.stream().noneMatch(e -> e instanceof ClusterEvent.Duplicate), events.toString());
            assertTrue(results.stream().allMatch(r -> r.state() == TrialState.DONE), results.toString());
        }
    }
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTrialRunsInTheWorkerJvmAsItDoesLocallyItsEpochsReachTheOwnerLiveAndTheOwnersPrunerStopsAnotherThere() throws Exception {
        SplitSpec split = new SplitSpec(200, 2000, 100); // 20 iterations an epoch: the stop arrives mid-trial
        int epochs = 8;
        PreparedData data = PreparedData.prepare(BuiltInData.generate(), split, Preprocessing.MEAN_IMAGE);
        SearchSpec spec = new SearchSpec(SearchSpec.Strategy.RANDOM, Map.of(Hyper.LR, Dimension.fixed(1e-4),
                Hyper.REG, Dimension.fixed(1e-3)), List.of(), 2, epochs, 0, 17, PrunerSpec.NONE);
        List<TrialJob> jobs = spec.trials(data.preprocessor().features(), data.dataset().classCount(),
                DataIdentity.ofImages(data.dataset())).stream()
                .map(t -> TrialJob.of(t, split, Preprocessing.MEAN_IMAGE, "built-in generated images")).toList();
        String why = "epoch 2: the test's pruner stops trial 2";
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        Pruner pruner = (trial, epoch, of, val) -> {
            asked.add(trial + "/" + epoch);
            return trial == 1 && epoch == 2 ? why : null;
        };
        int ownerPort = freePort();
        List<ClusterEvent> events = Collections.synchronizedList(new ArrayList<>());
        List<ClusterSearch.MemberStatus> seen = Collections.synchronizedList(new ArrayList<>());
        try (ClusterNode owner = ClusterNode.start(new ClusterConfig("t", SECRET, List.of(), "127.0.0.1", ownerPort), null);
             Worker worker = new Worker(SECRET, ownerPort, freePort())) {
            assertTrue(owner.awaitMembers(2, Duration.ofSeconds(40)), "the worker joined: " + worker.out);
            String workerAddress = owner.members().stream().filter(m -> !m.local()).findFirst().orElseThrow().address();
            ClusterSearch[] search = new ClusterSearch[1];
            search[0] = new ClusterSearch(owner, jobs, pruner, e -> {
                events.add(e);
                if (e instanceof ClusterEvent.Progress p && p.index() == 0 && p.metrics().epoch() == 3) {
                    seen.addAll(search[0].members()); // while trial 1 runs there
                }
            });
            List<TrialResult> results = search[0].run(Duration.ofSeconds(50));
            assertEquals(2, results.size(), events.toString());

            // trial 1: every epoch heard once, in order, each before its result, from the worker
            List<ClusterEvent> one = events.stream().filter(e -> index(e) == 0).toList();
            int finished = indexOf(one, ClusterEvent.Finished.class);
            List<Integer> heard = one.subList(0, finished).stream().filter(e -> e instanceof ClusterEvent.Progress)
                    .map(e -> ((ClusterEvent.Progress) e).metrics().epoch()).toList();
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), heard, one.toString());
            assertTrue(one.stream().filter(e -> e instanceof ClusterEvent.Progress)
                    .allMatch(e -> ((ClusterEvent.Progress) e).member().equals(workerAddress)
                            && ((ClusterEvent.Progress) e).imagesPerSecond() > 0), one.toString());
            TrialResult first = ((ClusterEvent.Finished) one.get(finished)).result();
            assertEquals(TrialState.DONE, first.state());
            List<Double> val = one.stream().filter(e -> e instanceof ClusterEvent.Progress)
                    .map(e -> ((ClusterEvent.Progress) e).metrics().valAccuracy()).toList();
            assertEquals(first.valAccuracies(), val, "the epochs heard are the trial's");
            TrialResult here = Trial.run(jobs.get(0).trial(), data, new EjmlGemm(false), Pruner.none(), new TrainerControls());
            assertEquals(here.trial(), first.trial());
            assertEquals(here.valAccuracies(), first.valAccuracies(), "the same trial run here: the same epochs, to the last bit");
            assertTrue(worker.awaitLine("trial 1 done: best val_acc", 10), "the worker says what it ran: " + worker.out);

            // the members' list while trial 1 ran: the worker runs it, at the speed its epochs said
            ClusterSearch.MemberStatus w = seen.stream().filter(m -> m.address().equals(workerAddress)).findFirst().orElseThrow();
            assertEquals(List.of(0), w.trials(), seen.toString());
            assertEquals(ClusterNode.VERSION, w.version());
            assertTrue(w.runsTrials() && w.slots() == 1, w.toString());
            ClusterEvent.Progress third = (ClusterEvent.Progress) one.stream().filter(e -> e instanceof ClusterEvent.Progress
                    && ((ClusterEvent.Progress) e).metrics().epoch() == 3).findFirst().orElseThrow();
            assertEquals(third.imagesPerSecond(), w.imagesPerSecond(), 1e-9, seen.toString());
            ClusterSearch.MemberStatus self = seen.stream().filter(m -> m.address().equals("127.0.0.1:" + ownerPort)).findFirst().orElseThrow();
            assertEquals(List.of(), self.trials());
            assertTrue(!self.runsTrials() && Double.isNaN(self.imagesPerSecond()), self.toString());

            // trial 2: pruned by the owner after epoch 2, stopped there within its epoch, reported pruned with the reason
            List<ClusterEvent> two = events.stream().filter(e -> index(e) == 1).toList();
            assertEquals(1, two.stream().filter(e -> e instanceof ClusterEvent.Stopping s && s.reason().equals(why)).count(), two.toString());
            TrialResult pruned = results.stream().filter(r -> r.trial().index() == 1).findFirst().orElseThrow();
            assertEquals(TrialState.PRUNED, pruned.state(), pruned.toString());
            assertEquals(why, pruned.reason());
            assertTrue(pruned.valAccuracies().size() >= 2 && pruned.valAccuracies().size() < epochs, pruned.toString());
            assertEquals(pruned.valAccuracies().size(), two.stream().filter(e -> e instanceof ClusterEvent.Progress).count(),
                    "each of its epochs heard once: " + two);
            assertEquals(1, two.stream().filter(e -> e instanceof ClusterEvent.Finished).count(), two.toString());
            assertTrue(asked.contains("1/2") && asked.stream().filter("1/2"::equals).count() == 1, "the pruner heard each epoch once: " + asked);
            assertTrue(worker.awaitLine("trial 2 stopped by the search's owner: " + why, 10), worker.out.toString());
            assertTrue(worker.awaitLine("trial 2 pruned: best val_acc", 10), worker.out.toString());
        }
    }

    private static int index(ClusterEvent e) {
        if (e instanceof ClusterEvent.Sent s) {
            return s.index();
        } else if (e instanceof ClusterEvent.Progress p) {
            return p.index();
        } else if (e instanceof ClusterEvent.Stopping s) {
            return s.index();
        } else if (e instanceof ClusterEvent.Finished f) {
            return f.result().trial().index();
        } else if (e instanceof ClusterEvent.Refused r) {
            return r.index();
        } else if (e instanceof ClusterEvent.Requeued q) {
            return q.index();
        }
        return ((ClusterEvent.Duplicate) e).index();
    }

    private static int indexOf(List<ClusterEvent> events, Class<? extends ClusterEvent> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }
}
