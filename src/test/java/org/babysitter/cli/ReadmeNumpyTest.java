package org.babysitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.babysitter.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numpy snippet in README.md's "Command line" section, run as it is written, on a checkpoint the CLI saved and
 * a test batch in the binary format: it must print the test accuracy the CLI printed. Skipped without python3 and
 * numpy.
 */
class ReadmeNumpyTest {
    private static final Pattern FENCE = Pattern.compile("```python\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path tmp;

    /** The python block of the README's "## Command line" section. */
    static String snippet() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Command line\n");
        assertTrue(start >= 0, "README.md has a '## Command line' section");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher m = FENCE.matcher(section);
        assertTrue(m.find(), "the section has a ```python block");
        return m.group(1);
    }

    /**
     * Records whose class shows in which colour plane is bright and in the orientation and phase of stripes, so a
     * net learns them and reading the pixels in another order (HWC) loses it.
     */
    static byte[] records(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[n * 3073];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            b[i * 3073] = (byte) k;
            for (int ch = 0; ch < 3; ch++) {
                for (int row = 0; row < 32; row++) {
                    for (int col = 0; col < 32; col++) {
                        int stripe = (((k < 5 ? row : col) / 4 + k) % 2 == 0) ? 60 : 0;
                        int v = r.nextInt(100) + (ch == k % 3 ? 80 : 0) + stripe;
                        b[i * 3073 + 1 + ch * 1024 + row * 32 + col] = (byte) v;
                    }
                }
            }
        }
        return b;
    }

    private static String python(String python, Path dir, String script) throws Exception {
        Path file = dir.resolve("snippet.py");
        Files.writeString(file, script);
        Process p = new ProcessBuilder(python, file.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python finished");
        assertEquals(0, p.exitValue(), script + "\n" + out);
        return out.strip();
    }

    @Test
    void theReadmesNumpySnippetPrintsTheClisTestAccuracy() throws Exception {
        String snippet = snippet();
        assertTrue(snippet.contains("np.load(\"model.npz\")") && snippet.contains("cifar-10-batches-bin/test_batch.bin"), snippet);
        String python = org.babysitter.testing.Python.with("numpy");
        assumeTrue(python != null, "python3 with numpy is not available");

        Path dir = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("data_batch_1.bin"), records(900, 1));
        Files.write(dir.resolve("test_batch.bin"), records(300, 2));
        // the exact backend: the snippet computes in float64 as the Java evaluator then does
        Run r = CliTest.run("train", "--data", dir.toString(), "--epochs", "4", "--hidden", "20", "--gemm", "ejml",
                "--checkpoint", tmp.resolve("model.npz").toString());
        assertEquals(0, r.code(), r.toString());
        String line = r.outLines().stream().filter(l -> l.startsWith("test accuracy (best validation parameters): "))
                .findFirst().orElseThrow(() -> new AssertionError(r));
        String java = line.substring(line.lastIndexOf(' ') + 1);
        assertTrue(Double.parseDouble(java) > 0.3, "the net learned the classes (chance is 0.1): " + r);

        assertEquals("test accuracy: " + java, python(python, tmp, snippet));

        // the test can tell: the same snippet reading the pixels as cs231n's HWC images gets another accuracy
        String hwc = snippet.replace("raw[:, 1:].astype(np.float64)",
                "raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).reshape(-1, 3072).astype(np.float64)");
        assertNotEquals(snippet, hwc, "the snippet reads the pixels as raw[:, 1:].astype(np.float64)");
        assertNotEquals("test accuracy: " + java, python(python, tmp, hwc));
        try (java.util.stream.Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("cifar-10-batches-bin", "model.json", "model.npz", "snippet.py"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
