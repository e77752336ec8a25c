package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javafx.stage.Stage;

import org.babysitter.app.session.Session;
import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.Throughput;
import org.babysitter.engine.train.TrainConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A benchmark, not a test (tagged "bench", left out of {@code ./mvnw verify}): training throughput of a run in
 * the window, with every chart live, against the same run headless, interleaved in rounds. Run it with
 * {@code ./mvnw test -Dtest=GuiThroughputBench -Dbench.exclude=none} (add {@code -Dbench.hidden=500
 * -Dbench.batch=200} for the large net).
 */
@Tag("bench")
@ExtendWith(ApplicationExtension.class)
class GuiThroughputBench {
    private static final int WARMUP = 30;
    private static final int WINDOW = 20;
    private Session session;

    @Start
    void start(Stage stage) {
        session = new Session(Gemms.best());
        BabysitterApp.open(stage, session, new StubDialogs());
        session.loadBuiltIn();
    }

    @Test
    void guiTrainsNearlyAsFastAsHeadless() throws Exception {
        int hidden = Integer.getInteger("bench.hidden", 50);
        int batch = Integer.getInteger("bench.batch", 100);
        int rounds = Integer.getInteger("bench.rounds", 3);
        waitFor(() -> session.data().loadedProperty().get());
        PreparedData data = PreparedData.prepare(BuiltInData.generate(), SplitSpec.LECTURE, Preprocessing.MEAN_IMAGE);
        NetConfig net = NetConfig.lecture().withHidden(List.of(hidden));
        TrainConfig config = TrainConfig.lecture().withBatchSize(batch).withLearningRateDecay(1).withEpochs(1000);
        // the JVM compiles the engine in its first seconds, on one of the two cores: train headless untimed first
        long until = System.nanoTime() + Long.getLong("bench.jvmWarmupSeconds", 8) * 1_000_000_000L;
        while (System.nanoTime() < until) {
            Throughput.training(net, data.dataset(), data.preprocessor(), config, session.gemm(), WARMUP, WINDOW, 9);
        }
        List<Double> ratios = new ArrayList<>();
        // round 0 warms up: the first run in the window also compiles JavaFX's and JFreeChart's code
        for (int r = 0; r <= rounds; r++) {
            double headless = Throughput.training(net, data.dataset(), data.preprocessor(), config, session.gemm(),
                    WARMUP, WINDOW, 9).median();
            double gui = guiRun(hidden, batch);
            if (r > 0) {
                ratios.add(gui / headless);
            }
            System.out.printf(Locale.ROOT, (r == 0 ? "warm-up " : "") + "round %d: H=%d batch=%d headless %.0f ex/s, in the window %.0f ex/s, ratio %.3f (%s)%n",
                    r, hidden, batch, headless, gui, gui / headless, session.gemm().name());
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "median ratio window / headless: %.3f over %d rounds%n", sorted[sorted.length / 2], rounds);
        assertTrue(sorted.length == rounds);
    }

    /** One run in the window: the median rate over windows of iterations that hold no epoch end. */
    private double guiRun(int hidden, int batch) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            session.reset();
            session.config().hiddenProperty().set(Integer.toString(hidden));
            session.config().batchSizeProperty().set(batch);
            session.config().epochsProperty().set(1000);
            session.config().learningRateDecayProperty().set(1);
            session.start();
        }).get(10, TimeUnit.SECONDS);
        int needed = WARMUP + WINDOW * 9 + 100;
        java.util.Map<String, Long> cpuBefore = threadCpu();
        long wallBefore = System.nanoTime();
        waitFor(() -> session.history().size() >= needed);
        WaitForAsyncUtils.asyncFx(session::stop).get(10, TimeUnit.SECONDS);
        reportCpu(cpuBefore, threadCpu(), System.nanoTime() - wallBefore);
        List<IterationMetrics> its = session.history().iterations();
        List<Integer> epochEnds = session.history().epochs().stream().map(EpochMetrics::iteration).toList();
        List<Double> rates = new ArrayList<>();
        for (int from = WARMUP; from + WINDOW < its.size() && rates.size() < 9; from += WINDOW) {
            int a = from;
            int b = from + WINDOW;
            if (epochEnds.stream().anyMatch(e -> e > a && e <= b)) {
                continue;
            }
            long nanos = its.get(b - 1).elapsedNanos() - its.get(a - 1).elapsedNanos();
            rates.add(WINDOW * (double) batch * 1e9 / nanos);
        }
        double[] s = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[s.length / 2];
    }

    /** CPU time per thread name (numbered pool threads added up under their pool's name). */
    private static java.util.Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> cpu = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                long ns = mx.getThreadCpuTime(t.getThreadId());
                if (ns > 0) {
                    cpu.merge(t.getThreadName().replaceAll("-?\\d+$", ""), ns, Long::sum);
                }
            }
        }
        return cpu;
    }

    /** Where the cores went during a run in the window: CPU milliseconds per second of wall time, busiest first. */
    private static void reportCpu(java.util.Map<String, Long> before, java.util.Map<String, Long> after, long wallNanos) {
        StringBuilder sb = new StringBuilder("  CPU ms per s during the run in the window:");
        after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) * 1000.0 / wallNanos))
                .filter(e -> e.getValue() >= 5)
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.0f;", e.getKey(), e.getValue())));
        System.out.println(sb);
    }

    private static void waitFor(Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, c);
    }

}
