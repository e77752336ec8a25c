package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Closing the window ends the process, even with a tooltip and a dialog on screen: the real application in a JVM of
 * its own (headless JavaFX), driven by {@link ExitProbe}.
 */
class AppExitTest {
    @Test
    void closingTheWindowWithATooltipShowingEndsTheProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "-Dtestfx.robot=glass", "-Dprism.order=sw", "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless",
                "-Dheadless.geometry=1600x1200-32", "-Djava.util.prefs.userRoot=" + System.getProperty("java.io.tmpdir"),
                "-Dbabysitter.gemm=ejml", "-Dbabysitter.workspace=" + System.getProperty("babysitter.workspace",
                        Path.of(System.getProperty("java.io.tmpdir"), "babysitter-exit-test").toString()),
                ExitProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < end && !contains(lines, "window closed") && p.isAlive()) {
                Thread.sleep(100);
            }
            assertTrue(contains(lines, "window closed"), "the probe closed the window: " + lines);
            assertTrue(contains(lines, "chart hovered: true"), "the loss chart showed values under the pointer: " + lines);
            assertTrue(contains(lines, "tooltip showing: true"), "a tooltip was on screen when it closed: " + lines);
            assertTrue(contains(lines, "dialog showing: true"), "and a dialog: " + lines);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the process ended within 10 s of the window closing: " + lines);
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean contains(List<String> lines, String line) {
        synchronized (lines) {
            return lines.contains(line);
        }
    }
}
