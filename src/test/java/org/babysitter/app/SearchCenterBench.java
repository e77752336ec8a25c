package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.stage.Stage;

import org.babysitter.app.session.SearchController;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.linalg.EjmlGemm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A benchmark, not a test (tagged "bench"): how responsive the window stays with the search command center open and
 * 100 trials running at once, each reporting a loss every {@code bench.period} ms (default 20: 5,000 losses a second
 * in all, more than two real trials at a time report), for {@code bench.iterations} iterations (default 1000, about
 * 20 s), through {@link SearchController#startFrom} (the job, the partial results, the pump and the rows of a real
 * search). Meanwhile a thread posts a {@link Platform#runLater} ping every 10 ms; a ping's latency is from its post
 * to its run on the FX thread. Printed: the pings' p50, p99 and max latency, and the FX thread's CPU per second.
 * Run it with {@code ./mvnw test -Dtest=SearchCenterBench -Dbench.exclude=none}.
 */
@Tag("bench")
@ExtendWith(ApplicationExtension.class)
class SearchCenterBench {
    private Workbench session;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        session = new Workbench(new EjmlGemm(true));
        window = BabysitterApp.open(stage, session, new StubDialogs(), null);
    }

    @Test
    void hundredTrialsLive() throws Exception {
        int n = Integer.getInteger("bench.trials", 100);
        int iterations = Integer.getInteger("bench.iterations", 1000);
        long period = Long.getLong("bench.period", 20);
        SyntheticSearch source = new SyntheticSearch(n, iterations, period);
        SearchController s = session.search();
        WaitForAsyncUtils.asyncFx(() -> {
            window.showSearch();
            s.startFrom(source.spec, source);
        }).get(10, TimeUnit.SECONDS);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Double> steady = Collections.synchronizedList(new ArrayList<>());
        long fx0 = cpu("JavaFX Application Thread");
        long t0 = System.nanoTime();
        while (WaitForAsyncUtils.asyncFx(() -> s.phaseProperty().get()).get(60, TimeUnit.SECONDS) == SearchController.Phase.RUNNING) {
            for (int k = 0; k < 50; k++) {
                long posted = System.nanoTime();
                Platform.runLater(() -> {
                    double ms = (System.nanoTime() - posted) / 1e6;
                    latencies.add(ms);
                    if (posted - t0 > 1_000_000_000L) {
                        steady.add(ms); // after the first second, when the 100 rows and charts are made
                    }
                    if (ms > 100) {
                        System.out.printf(Locale.ROOT, "  slow ping: %.0f ms at %.1f s%n", ms, (posted - t0) / 1e9);
                    }
                });
                Thread.sleep(10);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double fxMsPerS = (cpu("JavaFX Application Thread") - fx0) / 1e6 / seconds;
        WaitForAsyncUtils.waitForFxEvents();
        List<Double> sorted = sorted(latencies);
        List<Double> after = sorted(steady);
        System.out.printf(Locale.ROOT, "%d trials, a loss each every %d ms, %.1f s: FX ping latency p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                        + " over %d pings (after the first second: p50 %.1f, p99 %.1f, max %.1f ms); FX thread CPU %.0f ms/s%n",
                n, period, seconds, pct(sorted, 0.5), pct(sorted, 0.99), sorted.get(sorted.size() - 1), sorted.size(),
                pct(after, 0.5), pct(after, 0.99), after.get(after.size() - 1), fxMsPerS);
        assertEquals(n, (int) WaitForAsyncUtils.asyncFx(() -> window.searchView().table().getItems().size()).get(10, TimeUnit.SECONDS));
        session.shutdown();
    }

    private static List<Double> sorted(List<Double> values) {
        List<Double> out;
        synchronized (values) {
            out = new ArrayList<>(values);
        }
        Collections.sort(out);
        return out;
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    private static long cpu(String name) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(name)) {
                total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
