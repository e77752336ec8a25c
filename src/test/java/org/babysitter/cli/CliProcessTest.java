package org.babysitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in a JVM of its own, for what only a real process shows: Ctrl-C (SIGINT from {@code kill -INT}),
 * a locale that cannot encode a file name, a heap too small.
 */
class CliProcessTest {
    @TempDir
    Path tmp;

    /** A started CLI process whose stdout lines are collected as they come. */
    static final class Cli {
        final Process process;
        final List<String> out = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Cli(ProcessBuilder pb) throws IOException {
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
            reader.start();
        }

        String err() throws IOException {
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        int waitFor(long seconds) throws InterruptedException {
            assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "the process ended within " + seconds + " s: " + out);
            reader.join(5000);
            return process.exitValue();
        }

        boolean awaitLine(String prefix, long seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end && process.isAlive()) {
                synchronized (out) {
                    if (out.stream().anyMatch(l -> l.startsWith(prefix))) {
                        return true;
                    }
                }
                Thread.sleep(20);
            }
            return false;
        }
    }

    /** {@code java [jvmOptions] -cp <this test's class path> org.babysitter.cli.Main args}. */
    private static ProcessBuilder cli(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** True if the process ignores SIGINT, as a program started in the background by a non-interactive shell does. */
    private static boolean ignoresSigint(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0; // SIGINT is 2: bit 1
            }
        }
        return false;
    }

    @Test
    void ctrlCStopsSaysWhereAndSavesTheBestNetWithNoTemporaryFile() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/status")) && Files.isExecutable(Path.of("/bin/kill")),
                "kill -INT and /proc are needed");
        Path npz = tmp.resolve("stopped.npz");
        Cli cli = new Cli(cli(List.of("-Xmx512m"), "train", "--epochs", "1000", "--subset", "1000", "--hidden", "20",
                "--val-size", "200", "--test-size", "100", "--checkpoint", npz.toString()));
        try {
            assertTrue(cli.awaitLine("Finished epoch 2 / 1000", 120), "two epochs trained: " + cli.out);
            assumeTrue(!ignoresSigint(cli.process.pid()), "this test's JVM was started ignoring SIGINT (in the background):"
                    + " Ctrl-C cannot reach the child");
            Process kill = new ProcessBuilder("/bin/kill", "-INT", Long.toString(cli.process.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            int code = cli.waitFor(120);
            String err = cli.err();
            assertEquals(Main.INTERRUPTED, code, "128 + SIGINT: " + cli.out + err);
            assertTrue(err.contains("babysitter: stopping after the current iteration..."), err);
            String stopped = cli.out.stream().filter(l -> l.startsWith("Stopped (Ctrl-C or kill) at iteration ")).findFirst()
                    .orElseThrow(() -> new AssertionError("a line saying where it stopped: " + cli.out));
            assertTrue(stopped.matches("Stopped \\(Ctrl-C or kill\\) at iteration \\d+ of 10000, (in|at the end of) epoch \\d+ \\(\\d+ of 1000"
                    + " epochs completed\\)\\."), stopped);
            JsonNode json = new ObjectMapper().readTree(tmp.resolve("stopped.json").toFile());
            int best = json.get("bestEpoch").asInt();
            assertTrue(best >= 2, "the best of at least two epochs: " + json);
            assertTrue(cli.out.contains("Saved " + npz + " and stopped.json: epoch " + best + "'s parameters, the best so far"
                    + String.format(java.util.Locale.ROOT, " (validation accuracy %.6f).", json.get("bestValAccuracy").asDouble())),
                    String.join("\n", cli.out));
            assertTrue(json.get("outcome").asText().startsWith("stopped (Ctrl-C or kill) at iteration "), json.toString());
            try (Stream<Path> files = Files.list(tmp)) {
                assertEquals(List.of("stopped.json", "stopped.npz"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                        "the pair and no temporary file");
            }
            assertEquals(best, Checkpoint.load(npz, new EjmlGemm(false)).info().bestEpoch(), "the saved pair loads");
        } finally {
            cli.process.destroyForcibly();
        }
    }

    @Test
    void ctrlCDuringADownloadKeepsThePart() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/status")) && Files.isExecutable(Path.of("/bin/kill")),
                "kill -INT and /proc are needed");
        try (org.babysitter.engine.data.ArchiveServer server = new org.babysitter.engine.data.ArchiveServer("cifar-10-binary.tar.gz", 400_000, 3)) {
            server.slowMillis = 100;
            Path part = tmp.resolve("cifar-10-binary.tar.gz.part");
            Cli cli = new Cli(cli(List.of("-Xmx128m"), "download", "--mirror", server.mirror(), "--to", tmp.toString(),
                    "--md5", server.md5()));
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < end && cli.process.isAlive() && (!Files.exists(part) || Files.size(part) < 16_384)) {
                    Thread.sleep(20);
                }
                assertTrue(Files.exists(part) && Files.size(part) >= 16_384, "the download began");
                assumeTrue(!ignoresSigint(cli.process.pid()), "this test's JVM was started ignoring SIGINT (in the background):"
                        + " Ctrl-C cannot reach the child");
                Process kill = new ProcessBuilder("/bin/kill", "-INT", Long.toString(cli.process.pid())).inheritIO().start();
                assertEquals(0, kill.waitFor());
                int code = cli.waitFor(60);
                String err = cli.err();
                assertEquals(Main.INTERRUPTED, code, "128 + SIGINT: " + cli.out + err);
                assertTrue(err.contains("babysitter: stopping the download"), err);
                assertTrue(err.contains(part + " kept, run again to resume"), err);
                assertTrue(Files.exists(part) && Files.size(part) < 400_000, "the .part kept");
                assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz")));
            } finally {
                cli.process.destroyForcibly();
            }
        }
    }

    @Test
    void aFileNameTheLocaleCannotEncodeIsOneLine() throws Exception {
        ProcessBuilder pb = cli(List.of(), "train", "--data", tmp.resolve("d\u00e4t\u00e4.bin").toString());
        pb.environment().remove("LC_CTYPE");
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        Cli cli = new Cli(pb);
        int code = cli.waitFor(60);
        String err = cli.err();
        assertEquals(Main.BAD_INPUT, code, cli.out + err);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).contains("Invalid value for option '--data'") && lines.get(0).contains("run under a UTF-8 locale,"
                + " e.g. LANG=C.UTF-8"), lines.get(0));
        assertFalse(err.contains("InvalidPathException"), err);
    }

    @Test
    void anOutOfMemoryErrorIsOneLineSayingWhatToChange() throws Exception {
        // The estimate lets this run through (the net fits 64 MB, and nothing says how large the data is before it is
        // read), and the loader then runs out: 22,000 images are 68 MB of bytes.
        Path dir = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("data_batch_1.bin"), CliTest.tinyCifar(22_000));
        Files.write(dir.resolve("test_batch.bin"), CliTest.tinyCifar(20));
        Cli cli = new Cli(cli(List.of("-Xmx64m"), "train", "--data", dir.toString(), "--epochs", "1"));
        int code = cli.waitFor(120);
        List<String> errors = cli.err().lines().filter(l -> !l.startsWith("Loading ")).toList();
        assertEquals(Main.BAD_INPUT, code, cli.out + "\n" + errors);
        assertEquals(List.of("babysitter: out of memory while loading the images (this JVM may use 64 MB): give java more"
                + " memory (java -Xmx200m -jar ...); the images take 3,073 bytes each, 184 MB for all of CIFAR-10"), errors,
                "one line, no stack trace");
    }

    @Test
    void aNetTooLargeForTheHeapIsRefusedBeforeAnythingIsRead() throws Exception {
        Cli cli = new Cli(cli(List.of("-Xmx256m"), "train", "--hidden", "2000", "--data", tmp.resolve("never-read").toString()));
        int code = cli.waitFor(60);
        String err = cli.err();
        assertEquals(Main.BAD_INPUT, code, cli.out + err);
        assertEquals(List.of(), cli.out);
        assertTrue(err.startsWith("babysitter: a 3072-2000-10 net (6,166,010 parameters) needs about ")
                && err.contains("more than the 256 MB this JVM may use: use fewer hidden units (--hidden), or give java more"
                + " memory (java -Xmx"), err);
        assertFalse(err.contains("never-read"), "refused before the data path is even looked at: " + err);
    }
}
