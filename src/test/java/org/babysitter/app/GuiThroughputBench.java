package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javafx.stage.Stage;

import org.babysitter.app.session.Workbench;
import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.Trainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A benchmark, not a test (tagged "bench", left out of {@code ./mvnw verify}): training throughput of a run in
 * the window, every chart live, against the same run headless, in alternating rounds. Each run lasts
 * {@code bench.seconds} (default 20) and is measured over its second half only: a JVM compiles the code a run
 * uses for many seconds (the window's JavaFX, JFreeChart and Java2D code kept C1 and C2 busy at ~450 ms of CPU
 * per second in a run's first seconds), and a switch between headless and window runs changes the type
 * profiles the compiled code was built on. The figure is the median rate of 20-iteration windows without an
 * epoch end (the same measure for both). Where the CPU went, per thread (JIT and GC threads included, from
 * /proc on Linux), is printed for every run. Run it with
 * {@code ./mvnw test -Dtest=GuiThroughputBench -Dbench.exclude=none} (add {@code -Dbench.hidden=500
 * -Dbench.batch=200} for the large net, {@code -Dbench.rounds=N}).
 */
@Tag("bench")
@ExtendWith(ApplicationExtension.class)
class GuiThroughputBench {
    private static final int WINDOW = 20;
    private Workbench session;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        session = new Workbench(Gemms.best());
        window = BabysitterApp.open(stage, session, new StubDialogs(), null);
        session.data().loadBuiltIn();
    }

    @Test
    void guiTrainsNearlyAsFastAsHeadless() throws Exception {
        int hidden = Integer.getInteger("bench.hidden", 50);
        int batch = Integer.getInteger("bench.batch", 100);
        int rounds = Integer.getInteger("bench.rounds", 3);
        long seconds = Long.getLong("bench.seconds", 20);
        awaitData();
        PreparedData data = sessionsData();
        NetConfig net = net(hidden);
        TrainConfig config = config(batch);
        List<Double> ratios = new ArrayList<>();
        // round 0 warms both up and is not counted
        for (int r = 0; r <= rounds; r++) {
            double headless = headlessRun(net, data, config, seconds, batch);
            double gui = guiRun(hidden, batch, seconds);
            if (r > 0) {
                ratios.add(gui / headless);
            }
            System.out.printf(Locale.ROOT, (r == 0 ? "warm-up " : "") + "round %d: H=%d batch=%d headless %.0f ex/s, in the window %.0f ex/s, ratio %.3f (%s)%n",
                    r, hidden, batch, headless, gui, gui / headless, session.gemm().name());
        }
        printMedian("window / headless", rounds + " rounds", ratios);
        assertEquals(rounds, ratios.size());
    }

    /**
     * One long run in the window ({@code -Dbench.longSeconds=N}, skipped otherwise; headless beside the idle window
     * with {@code -Dbench.longHeadless=true}): rate and CPU per thread every 15 s, to see how long the JIT keeps
     * compiling the window's code.
     */
    @Test
    void longRunInTheWindow() throws Exception {
        long seconds = Long.getLong("bench.longSeconds", 0);
        org.junit.jupiter.api.Assumptions.assumeTrue(seconds > 0, "-Dbench.longSeconds not set");
        int hidden = Integer.getInteger("bench.hidden", 50);
        int batch = Integer.getInteger("bench.batch", 100);
        awaitData();
        boolean headless = Boolean.getBoolean("bench.longHeadless");
        RunHistory history;
        Trainer trainer = null;
        if (headless) {
            PreparedData data = sessionsData();
            trainer = Trainer.create(net(hidden), data.dataset(), data.preprocessor(), config(batch), session.gemm());
            history = new RunHistory();
            trainer.addListener(history);
            Thread t = new Thread(trainer::run, "babysitter-trainer-headless");
            t.setDaemon(true);
            t.start();
        } else {
            startInWindow(hidden, batch);
            history = session.run().history();
        }
        int lastIterations = 0;
        for (long t = 15; t <= seconds; t += 15) {
            Map<String, Long> cpu = threadCpu();
            long wall = System.nanoTime();
            Thread.sleep(15_000);
            int its = history.size();
            System.out.printf(Locale.ROOT, "%d s: %.0f images/s (epoch ends included)%n", t, (its - lastIterations) * (double) batch / 15);
            lastIterations = its;
            reportCpu(headless ? "headless, the window idle" : "in the window", cpu, threadCpu(), System.nanoTime() - wall);
        }
        if (trainer != null) {
            trainer.controls().stop();
        }
        WaitForAsyncUtils.asyncFx(session.run()::stop).get(10, TimeUnit.SECONDS);
        assertTrue(history.size() > 0);
    }

    /**
     * The window's cost inside one run, free of the engine's run-to-run speed levels (see BENCHMARKS.md): a run in
     * the window trains {@code -Dbench.warmup} seconds (default 60), then alternates periods of
     * {@code -Dbench.period} seconds (default 20) with the window following it live and with the run's listeners
     * to the window detached (the window idle: the same run, as headless), {@code -Dbench.pairs} pairs (default
     * 4; skipped when 0), live first in the 1st, 3rd, ... pair and idle first in the others.
     */
    @Test
    void liveWindowAgainstIdleWindowInOneRun() throws Exception {
        int pairs = Integer.getInteger("bench.pairs", 4);
        int hidden = Integer.getInteger("bench.hidden", 50);
        int batch = Integer.getInteger("bench.batch", 100);
        long period = Long.getLong("bench.period", 20);
        long warmup = Long.getLong("bench.warmup", 60);
        org.junit.jupiter.api.Assumptions.assumeTrue(pairs > 0, "-Dbench.pairs=0");
        awaitData();
        startInWindow(hidden, batch);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> session.run().trainer() != null && session.run().history().size() > 0);
        Trainer trainer = session.run().trainer();
        RunHistory history = session.run().history();
        List<TrainingListener> toWindow = trainer.listeners().stream().filter(l -> l != history).toList();
        assertTrue(!toWindow.isEmpty() && toWindow.size() < trainer.listeners().size(), "the window's listeners");
        Thread.sleep(warmup * 1000);
        List<Double> ratios = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            double live = 0;
            double idle = 0;
            for (int half = 0; half < 2; half++) {
                boolean isLive = (half == 0) == (p % 2 == 0);
                if (!isLive) {
                    toWindow.forEach(trainer::removeListener);
                }
                Map<String, Long> cpu = threadCpu();
                long wall = System.nanoTime();
                int from = history.size() + 1;
                Thread.sleep(period * 1000);
                int to = history.size();
                if (!isLive) {
                    toWindow.forEach(trainer::addListener);
                }
                reportCpu(isLive ? "the window live" : "the window idle", cpu, threadCpu(), System.nanoTime() - wall);
                double r = rate(history, batch, from, to, isLive ? "live" : "idle");
                if (isLive) {
                    live = r;
                } else {
                    idle = r;
                }
            }
            ratios.add(live / idle);
            System.out.printf(Locale.ROOT, "pair %d: H=%d batch=%d the window idle %.0f ex/s, live %.0f ex/s, ratio %.3f%n",
                    p + 1, hidden, batch, idle, live, live / idle);
        }
        WaitForAsyncUtils.asyncFx(session.run()::stop).get(10, TimeUnit.SECONDS);
        printMedian("live / idle in one run", pairs + " pairs", ratios);
        assertEquals(pairs, ratios.size());
    }

    private void awaitData() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> session.data().view().loadedProperty().get());
    }

    /** Prints the median of some ratios (the mean of the middle two for an even count) and the ratios themselves. */
    private static void printMedian(String what, String over, List<Double> ratios) {
        double[] s = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            return;
        }
        int mid = s.length / 2;
        double median = s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
        System.out.printf(Locale.ROOT, "median ratio %s: %.3f over %s (%s)%n", what, median, over,
                ratios.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
    }

    /** The built-in data with the session's split and preprocessing: what a run in the window trains on. */
    private PreparedData sessionsData() {
        return PreparedData.prepare(BuiltInData.generate(), new SplitSpec(SplitSpec.AUTO, 0, SplitSpec.ALL),
                session.data().view().preprocessingProperty().get());
    }

    private static NetConfig net(int hidden) {
        return NetConfig.lecture().withHidden(List.of(hidden));
    }

    /** The session's defaults with this batch size, no learning-rate decay and epochs enough for any bench. */
    private static TrainConfig config(int batch) {
        return TrainConfig.defaults().withBatchSize(batch).withLearningRateDecay(1).withEpochs(100_000);
    }

    /** The same run started in the window, as a user would set it up. */
    private void startInWindow(int hidden, int batch) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            session.run().reset();
            session.config().hiddenProperty().set(Integer.toString(hidden));
            session.config().batchSizeProperty().set(batch);
            session.config().epochsProperty().set(100_000);
            session.config().learningRateDecayProperty().set(1);
            session.run().start();
        }).get(10, TimeUnit.SECONDS);
    }

    /** A headless run of {@code seconds} on this thread, with the session's kind of listeners (a history). */
    private double headlessRun(NetConfig net, PreparedData data, TrainConfig config, long seconds, int batch) {
        Trainer t = Trainer.create(net, data.dataset(), data.preprocessor(), config, session.gemm());
        RunHistory h = new RunHistory();
        t.addListener(h);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        t.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (System.nanoTime() >= end) {
                    t.controls().stop();
                }
            }
        });
        Map<String, Long> cpu = threadCpu();
        long wall = System.nanoTime();
        t.run();
        reportCpu("headless", cpu, threadCpu(), System.nanoTime() - wall);
        return secondHalfRate(h, batch);
    }

    /** A run of {@code seconds} in the window. */
    private double guiRun(int hidden, int batch, long seconds) throws Exception {
        startInWindow(hidden, batch);
        Map<String, Long> cpu = threadCpu();
        long wall = System.nanoTime();
        Thread.sleep(seconds * 1000);
        reportCpu("in the window", cpu, threadCpu(), System.nanoTime() - wall);
        WaitForAsyncUtils.asyncFx(session.run()::stop).get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !session.run().view().stateProperty().get().active());
        return secondHalfRate(session.run().history(), batch);
    }

    /** Median examples/s over windows of iterations with no epoch end, in the second half of a run's time. */
    private static double secondHalfRate(RunHistory h, int batch) {
        List<IterationMetrics> its = h.iterations();
        long half = its.get(its.size() - 1).elapsedNanos() / 2;
        int from = 1;
        while (from < its.size() && its.get(from - 1).elapsedNanos() < half) {
            from++;
        }
        return rate(h, batch, from, its.size(), "second half");
    }

    /**
     * Median examples/s over windows of {@value #WINDOW} iterations with no epoch end among iterations
     * [from, to) of a history (from >= 1), with the step-time percentiles printed under {@code label}.
     */
    private static double rate(RunHistory h, int batch, int from, int to, String label) {
        List<IterationMetrics> its = h.iterations();
        List<Integer> epochEnds = h.epochs().stream().map(EpochMetrics::iteration).toList();
        List<Double> rates = new ArrayList<>();
        List<Double> steps = new ArrayList<>();
        for (int a = Math.max(from, 1); a + WINDOW <= Math.min(to, its.size()); a += WINDOW) {
            int b = a + WINDOW;
            int first = a;
            if (epochEnds.stream().anyMatch(e -> e > first && e <= b)) {
                continue;
            }
            long nanos = its.get(b - 1).elapsedNanos() - its.get(a - 1).elapsedNanos();
            rates.add(WINDOW * (double) batch * 1e9 / nanos);
            for (int i = a; i < b; i++) {
                steps.add((its.get(i).elapsedNanos() - its.get(i - 1).elapsedNanos()) / 1e6);
            }
        }
        double[] s = steps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "  ms per step (%s, no epoch end): p10 %.2f p50 %.2f p90 %.2f p99 %.2f over %d steps%n",
                label, s[s.length / 10], s[s.length / 2], s[s.length * 9 / 10], s[s.length * 99 / 100], s.length);
        double[] r = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return r[r.length / 2];
    }

    /**
     * CPU time per thread: Java threads by name (numbered pool threads added up under their pool's name), and on
     * Linux the JVM's own threads (JIT compilers, GC) from /proc, in brackets.
     */
    private static Map<String, Long> threadCpu() {
        Map<String, Long> cpu = new TreeMap<>();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                long ns = mx.getThreadCpuTime(t.getThreadId());
                if (ns > 0) {
                    cpu.merge(t.getThreadName().replaceAll("-?\\d+$", ""), ns, Long::sum);
                }
            }
        }
        File[] tasks = new File("/proc/self/task").listFiles();
        for (File t : tasks == null ? new File[0] : tasks) {
            try {
                String name = Files.readString(t.toPath().resolve("comm")).strip();
                if (name.startsWith("C1 ") || name.startsWith("C2 ") || name.startsWith("G1 ") || name.startsWith("GC ")
                        || name.startsWith("VM ")) {
                    String stat = Files.readString(t.toPath().resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, 1/100 s
                    cpu.merge("[" + name.replaceAll("[#\\d ]+$", "").replace("CompilerThre", "compiler") + "]", ticks * 10_000_000L, Long::sum);
                }
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return cpu;
    }

    /** Where the cores went during a run: CPU milliseconds per second of wall time, busiest first. */
    private static void reportCpu(String what, Map<String, Long> before, Map<String, Long> after, long wallNanos) {
        StringBuilder sb = new StringBuilder("  CPU ms per s, " + what + ":");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) * 1000.0 / wallNanos))
                .filter(e -> e.getValue() >= 5)
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.0f;", e.getKey(), e.getValue())));
        System.out.println(sb);
    }
}
