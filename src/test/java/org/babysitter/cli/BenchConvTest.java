package org.babysitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.babysitter.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --net convnetjs}: ConvNetJS's net through the real trainer for a few iterations on a small generated
 * CIFAR-10 folder, the torch side skipped in one line when its script or torch is missing, and the options that
 * belong to the other case refused. Nothing here is timed: the rates are only checked to be printed.
 */
class BenchConvTest {
    @TempDir
    Path tmp;

    /** A CIFAR-10 binary folder: 300 training records, 30 test records. */
    private Path smallCifar() throws IOException {
        Files.write(tmp.resolve("data_batch_1.bin"), CliTest.tinyCifar(300));
        Files.write(tmp.resolve("test_batch.bin"), CliTest.tinyCifar(30));
        return tmp;
    }

    /** A short conv bench on the small folder: batch 20, no validation images, windows of 2 unless {@code more} says. */
    private Run conv(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("bench", "--net", "convnetjs", "--data", data.toString(), "--val-size", "0",
                "--batch", "20", "--warmup", "2", "--windows", "1", "--rounds", "1", "--jvm-warmup", "0"));
        if (!List.of(more).contains("--window")) {
            args.addAll(List.of("--window", "2"));
        }
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void convCaseTrainsConvNetJsNetAndSkipsTorchInOneLineWithoutItsScript() throws Exception {
        Run r = conv(smallCifar(), "--torch-script", tmp.resolve("missing.py").toString());
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.outLines();
        assertEquals(1, lines.stream().filter(l -> l.startsWith("torch comparison skipped: ")).count(), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.equals("torch comparison skipped: " + tmp.resolve("missing.py")
                + " not found (run from the repository root)")), r.toString());
        assertTrue(r.out().contains("ConvNetJS's CIFAR-10 net (conv 5x5x16 pad 2 pool 2, conv 5x5x20 pad 2 pool 2, conv 5x5x20 pad 2"
                + " pool 2, then affine 320-10, softmax)"), r.toString());
        // the conv net's preprocessing unless --preprocess says otherwise
        assertTrue(r.out().contains("inputs: per-channel mean and std"), r.toString());
        assertTrue(r.out().contains("Evaluation: test-mode accuracy over 30 images."), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("Threads: ours up to \\d+ \\(products and parallel loops\\)")), r.toString());
        // one backend by default (train's choice), no hidden-size column, no torch row, the ratios to torch "-"
        assertTrue(lines.stream().anyMatch(l -> l.matches("implementation\\s+batch\\s+train ex/s\\s+eval ex/s\\s+x torch\\s+eval x torch\\s+x first")),
                r.toString());
        List<String> rows = lines.stream().filter(l -> l.matches("[a-z0-9-]+\\s+20\\s+[\\d,]+\\s+[\\d,]+\\s+-\\s+-\\s+1\\.00")).toList();
        assertEquals(1, rows.size(), r.toString());
        assertFalse(r.out().contains("torch float32"), r.toString());

        Run ejml = conv(tmp, "--no-torch", "--gemm", "ejml", "--preprocess", "channel_mean", "--window", "8");
        assertEquals(0, ejml.code(), ejml.toString());
        // 300 images at batch 20 are 15 iterations an epoch: most windows of 8 hold an epoch's end, and it says so
        assertTrue(ejml.out().contains("note: at batch 20 an epoch here is 15 iterations (300 training images), less than two"
                + " windows of 8;"), ejml.toString());
        assertFalse(r.out().contains("note: "), "windows of 2 in epochs of 15: no note: " + r);
        assertFalse(ejml.out().contains("torch comparison skipped"), "--no-torch: no line about it: " + ejml);
        assertTrue(ejml.out().contains("inputs: per-channel mean,"), ejml.toString());
        // lr 1e-2 on inputs only centred may diverge in its first iterations: then no window is timed and the rate is NaN
        assertTrue(ejml.outLines().stream().anyMatch(l -> l.matches("ejml\\s+20\\s+(NaN|[\\d,]+)\\s+[\\d,]+\\s+-\\s+-\\s+(-|1\\.00)")),
                ejml.toString());
    }

    @Test
    void convCaseRunsTheTorchSideInTheSameRoundsWhereTorchIsInstalled() throws Exception {
        assumeTrue(org.babysitter.testing.Python.with("torch") != null, "no python3 with torch here");
        Run r = conv(smallCifar(), "--gemm", "ejml", "--torch-script", "src/bench/python/torch_convnet.py");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.outLines().stream().anyMatch(l -> l.matches("torch side: \\S+ src/bench/python/torch_convnet\\.py, torch \\S+ threads \\d+, .*")),
                r.toString());
        assertTrue(r.outLines().stream().anyMatch(l -> l.matches("Threads: ours up to (\\d+) .*; torch\\.set_num_threads\\(\\1\\)")), r.toString());
        assertTrue(r.outLines().stream().anyMatch(l -> l.matches("ejml\\s+20\\s+[\\d,]+\\s+[\\d,]+\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d\\s+1\\.00")),
                r.toString());
        assertTrue(r.outLines().stream().anyMatch(l -> l.matches("torch float32\\s+20\\s+[\\d,]+\\s+[\\d,]+\\s+1\\.00\\s+1\\.00\\s+\\d+\\.\\d\\d")), r.toString());
    }

    @Test
    void optionsOfTheOtherCaseAreRefused() {
        assertTrue(CliTest.oneErrorLine(CliTest.run("bench", "--net", "lenet")).contains("--net is fc"));
        assertTrue(CliTest.oneErrorLine(CliTest.run("bench", "--net", "convnetjs", "--hidden", "10")).contains("--hidden"));
        assertTrue(CliTest.oneErrorLine(CliTest.run("bench", "--net", "convnetjs", "--no-numpy")).contains("numpy"));
        assertTrue(CliTest.oneErrorLine(CliTest.run("bench", "--net", "convnetjs", "--trial")).contains("--trial"));
        assertTrue(CliTest.oneErrorLine(CliTest.run("bench", "--no-torch")).contains("--net convnetjs"));
    }
}
