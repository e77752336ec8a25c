package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.stage.Stage;

import org.babysitter.app.charts.ChartKind;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A benchmark, not a test (tagged "bench"): what one live frame of the charts costs the FX thread and the
 * render thread, in CPU milliseconds, in the main window at its default size, with the loss and ratio charts as
 * full as they get (a noisy loss over thousands of iterations, two ratio series). Nothing trains meanwhile, so
 * the figures are free of the engine's noise. Three kinds of frame, each measured twice: a live frame (50 new
 * iterations appended, both charts redrawn), the loss chart redrawn alone, the ratio chart redrawn alone. Run it
 * with {@code ./mvnw test -Dtest=ChartFrameBench -Dbench.exclude=none} ({@code -Dbench.frames=N}, default 60).
 */
@Tag("bench")
@ExtendWith(ApplicationExtension.class)
class ChartFrameBench {
    private static final int FILL = 5000;
    private static final int PER_FRAME = 50;
    private static final String[] KINDS = {"live frame (50 iterations, loss and ratio charts)", "loss chart alone", "ratio chart alone"};
    private Workbench session;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        session = new Workbench(Gemms.best());
        window = BabysitterApp.open(stage, session, new StubDialogs(), null);
    }

    @Test
    void frameCost() throws Exception {
        int frames = Integer.getInteger("bench.frames", 60);
        WaitForAsyncUtils.asyncFx(() -> {
            window.charts().started(new RunEvent.Started(0, "3072-50-10", "momentum", List.of("W1", "W2"),
                    490, 490_000, 1000, 100, "sampled", 1e-3, 0.01, 49_000, 1000, 10, Math.log(10), "ln(10) = 2.303", 1, "bench"));
            window.charts().append(iterations(1, FILL), List.of(), List.of());
            window.charts().redraw();
        }).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        int next = FILL + 1;
        for (int round = 0; round < 2 * KINDS.length; round++) {
            int kind = round % KINDS.length;
            long fx0 = cpu("JavaFX Application Thread");
            long render0 = cpu("QuantumRenderer");
            for (int f = 0; f < frames; f++) {
                int from = next;
                next += PER_FRAME;
                WaitForAsyncUtils.asyncFx(() -> {
                    if (kind == 0) {
                        window.charts().append(iterations(from, PER_FRAME), List.of(), List.of());
                        window.charts().redraw();
                    } else {
                        window.charts().viewer(kind == 1 ? ChartKind.LOSS : ChartKind.UPDATE_RATIOS).draw();
                    }
                }).get(30, TimeUnit.SECONDS);
                WaitForAsyncUtils.waitForFxEvents(); // the pulse: the frame is rendered
            }
            double fx = (cpu("JavaFX Application Thread") - fx0) / 1e6 / frames;
            double render = (cpu("QuantumRenderer") - render0) / 1e6 / frames;
            System.out.printf(Locale.ROOT, "%s: FX thread %.1f ms, render thread %.1f ms, total %.1f ms per frame%n",
                    KINDS[kind], fx, render, fx + render);
            assertTrue(fx + render > 0);
        }
    }

    /** A noisy, falling loss and two oscillating ratios. */
    private static List<IterationMetrics> iterations(int from, int count) {
        List<IterationMetrics> its = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            double loss = 2.3 * Math.exp(-i / 3000.0) + 0.3 * Math.sin(i * 0.7) * Math.sin(i * 0.13);
            its.add(new IterationMetrics(i, i / 490.0, loss + 0.4, 1e-3, 0.01,
                    List.of(1e-3 * (1 + 0.5 * Math.sin(i * 0.31)), 3e-3 * (1 + 0.5 * Math.cos(i * 0.17))), i * 1_000_000L, 0));
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
