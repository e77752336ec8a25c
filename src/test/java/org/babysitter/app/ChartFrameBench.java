package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.stage.Stage;

import org.babysitter.app.session.Session;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.IterationMetrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A benchmark, not a test (tagged "bench"): what one live frame of the charts costs the FX thread and the
 * render thread, in CPU milliseconds, with the loss and ratio charts full (as deep into a run as they get).
 * Nothing trains meanwhile, so the figure is free of the engine's noise. Run it with
 * {@code ./mvnw test -Dtest=ChartFrameBench -Dbench.exclude=none}.
 */
@Tag("bench")
@ExtendWith(ApplicationExtension.class)
class ChartFrameBench {
    private static final int FILL = 5000;
    private Session session;

    @Start
    void start(Stage stage) {
        session = new Session(Gemms.best());
        BabysitterApp.open(stage, session, new StubDialogs());
    }

    @Test
    void frameCost() throws Exception {
        int frames = Integer.getInteger("bench.frames", 60);
        WaitForAsyncUtils.asyncFx(() -> {
            session.charts().start(new org.babysitter.engine.metrics.RunEvent.Started(0, "3072-50-10", "sgd", List.of("W1", "W2"),
                    490, 490_000, 1000, 100, 1e-3, 0.01, 49_000, 1000, 10, 1, "test"));
            session.charts().append(iterations(1, FILL), List.of(), List.of());
            session.charts().redraw();
        }).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.Node n = session.charts().viewer(org.babysitter.app.charts.ChartKind.LOSS);
            while (n != null) {
                String bg = n instanceof javafx.scene.layout.Region r && r.getBackground() != null
                        ? r.getBackground().getFills().toString() + " imgs " + r.getBackground().getImages().size() : "-";
                System.out.println("UP " + n.getClass().getSimpleName() + " " + n.getStyleClass() + " bounds " + n.getBoundsInParent()
                        + " cache " + n.isCache() + " effect " + n.getEffect() + " bg " + bg);
                n = n.getParent();
            }
        }).get();
        for (int round = 0; round < 6; round++) {
            long fx0 = cpu("JavaFX Application Thread");
            long qr0 = cpu("QuantumRenderer");
            for (int f = 0; f < frames; f++) {
                int from = FILL + round * frames * 50 + f * 50 + 1;
                int rr = round % 3;
                WaitForAsyncUtils.asyncFx(() -> {
                    if (rr == 0) {
                        session.charts().append(iterations(from, 50), List.of(), List.of());
                        session.charts().redraw();
                    } else {
                        session.charts().viewer(rr == 1 ? org.babysitter.app.charts.ChartKind.LOSS : org.babysitter.app.charts.ChartKind.UPDATE_RATIOS).draw();
                    }
                }).get(30, TimeUnit.SECONDS);
                WaitForAsyncUtils.waitForFxEvents();
            }
            double fx = (cpu("JavaFX Application Thread") - fx0) / 1e6 / frames;
            double qr = (cpu("QuantumRenderer") - qr0) / 1e6 / frames;
            System.out.printf(Locale.ROOT, "round %d: per frame (loss and ratio charts) FX thread %.1f ms, render thread %.1f ms, total %.1f ms%n",
                    round, fx, qr, fx + qr);
            assertTrue(fx + qr > 0);
        }
    }

    private static List<IterationMetrics> iterations(int from, int count) {
        List<IterationMetrics> its = new java.util.ArrayList<>();
        for (int i = from; i < from + count; i++) {
            double loss = 2.3 * Math.exp(-i / 3000.0) + 0.3 * Math.sin(i * 0.7) * Math.sin(i * 0.13);
            its.add(new IterationMetrics(i, i / 490.0, loss + 0.4, 1e-3, 0.01,
                    List.of(1e-3 * (1 + 0.5 * Math.sin(i * 0.31)), 3e-3 * (1 + 0.5 * Math.cos(i * 0.17))), i * 1_000_000L));
        }
        return its;
    }

    private static long cpu(String prefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(prefix)) {
                sum += Math.max(mx.getThreadCpuTime(t.getThreadId()), 0);
            }
        }
        return sum;
    }
}
