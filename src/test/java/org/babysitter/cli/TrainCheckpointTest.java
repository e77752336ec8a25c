package org.babysitter.cli;

import static org.babysitter.cli.CliTest.oneErrorLine;
import static org.babysitter.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.babysitter.cli.CliTest.Run;
import org.babysitter.engine.io.Npy;
import org.babysitter.engine.data.TestPickle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train --checkpoint never loses a trained net: a bad destination is refused before training, nothing but our own
 * checkpoints is replaced (the data never), a run that diverges after some epochs saves its best epoch.
 */
class TrainCheckpointTest {
    /** A quick run: 1 epoch of a small net on 200 built-in images. */
    private static final List<String> QUICK = List.of("train", "--epochs", "1", "--subset", "200", "--hidden", "8",
            "--val-size", "100", "--test-size", "50");

    @TempDir
    Path tmp;

    private static Run quick(String... more) {
        return run(Stream.concat(QUICK.stream(), Stream.of(more)).toArray(String[]::new));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---------------------------------------------------------------- a bad destination, found before training

    @Test
    void aFolderAsTheCheckpointIsRefusedBeforeTraining() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("models"));
        String line = oneErrorLine(quick("--checkpoint", dir.toString()));
        assertTrue(line.contains(dir + " is a folder; name a file, e.g. " + dir.resolve("model.npz")), line);
    }

    @Test
    void aFileAsTheFolderIsRefusedBeforeTraining() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
        String line = oneErrorLine(quick("--checkpoint", file.resolve("m.npz").toString()));
        assertTrue(line.contains(file + " is a file, not a folder"), line);
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void aMissingFolderIsRefusedNotCreated() {
        Path missing = tmp.resolve("typo/m.npz");
        String line = oneErrorLine(quick("--checkpoint", missing.toString()));
        assertTrue(line.contains("the folder " + missing.getParent() + " does not exist; create it first"), line);
        assertFalse(Files.exists(missing.getParent()));
    }

    @Test
    void aFolderWithoutWritePermissionIsRefusedBeforeTraining() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere: nothing to refuse");
        Path dir = Files.createDirectories(tmp.resolve("readonly"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            String line = oneErrorLine(quick("--checkpoint", dir.resolve("m.npz").toString()));
            assertTrue(line.contains("cannot write in the folder " + dir + ": permission denied"), line);
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    // ---------------------------------------------------------------- nothing else is replaced

    @Test
    void theTrainingDataIsNeverReplacedEvenWithOverwrite() throws IOException {
        byte[] bin = CliTest.tinyCifar(30);
        Path data = tmp.resolve("mydata.bin");
        Files.write(data, bin);
        for (String[] extra : new String[][] {{}, {"--overwrite"}}) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--epochs", "1",
                    "--checkpoint", data.toString()));
            args.addAll(List.of(extra));
            String line = oneErrorLine(run(args.toArray(String[]::new)));
            assertTrue(line.contains("--checkpoint would replace " + data + ", which is training data (--data " + data + ")"), line);
            assertArrayEquals(bin, Files.readAllBytes(data), "the data is as it was");
        }
        // a data file inside a --data folder too
        Path folder = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        Files.write(folder.resolve("data_batch_1.bin"), bin);
        String line = oneErrorLine(run("train", "--data", folder.toString(), "--epochs", "1", "--overwrite",
                "--checkpoint", folder.resolve("data_batch_1.bin").toString()));
        assertTrue(line.contains("which is training data"), line);
        assertArrayEquals(bin, Files.readAllBytes(folder.resolve("data_batch_1.bin")));
        // and a batch of the python version (no extension) inside a cifar-10-batches-py folder
        Path py = Files.createDirectories(tmp.resolve("py").resolve("cifar-10-batches-py"));
        byte[] pickle = TestPickle.batchOfTags(TestPickle.Style.PY2, 0, 30);
        Files.write(py.resolve("data_batch_1"), pickle);
        line = oneErrorLine(run("train", "--data", py.getParent().toString(), "--epochs", "1", "--overwrite",
                "--checkpoint", py.resolve("data_batch_1").toString()));
        assertTrue(line.contains("which is training data"), line);
        assertArrayEquals(pickle, Files.readAllBytes(py.resolve("data_batch_1")));
    }

    @Test
    void aFileThatIsNotOurCheckpointNeedsOverwrite() throws IOException {
        Path theirs = Files.writeString(tmp.resolve("results.npz"), "someone else's archive");
        String line = oneErrorLine(quick("--checkpoint", theirs.toString()));
        assertTrue(line.contains("--checkpoint would replace " + theirs + ", which is not a Babysitter checkpoint; it is left"
                + " as it is: choose another name, or add --overwrite to replace it"), line);
        assertEquals("someone else's archive", Files.readString(theirs));
        // the .json beside is checked the same way
        Path npz = tmp.resolve("fresh.npz");
        Path settings = Files.writeString(tmp.resolve("fresh.json"), "{\"theme\": \"dark\"}");
        String json = oneErrorLine(quick("--checkpoint", npz.toString()));
        assertTrue(json.contains("would replace " + settings + ", which is not a Babysitter checkpoint"), json);
        assertEquals("{\"theme\": \"dark\"}", Files.readString(settings));
        assertFalse(Files.exists(npz), "nothing written");

        Run forced = quick("--checkpoint", theirs.toString(), "--overwrite");
        assertEquals(0, forced.code(), forced.toString());
        assertTrue(forced.out().contains("(replacing " + theirs + ", --overwrite)"), forced.toString());
        try (InputStream in = Files.newInputStream(theirs)) {
            assertTrue(Npy.readNpz(in).containsKey("W1"), "replaced by the checkpoint");
        }
    }

    @Test
    void anEarlierCheckpointIsReplacedAndSaysSo() throws IOException {
        Path npz = tmp.resolve("again.npz");
        Run first = quick("--checkpoint", npz.toString());
        assertEquals(0, first.code(), first.toString());
        Run second = quick("--checkpoint", npz.toString(), "--seed", "4");
        assertEquals(0, second.code(), second.toString());
        assertTrue(second.out().contains("Saved " + npz + " and again.json (replacing the earlier checkpoint): epoch 1's"
                + " parameters, the best of the run"), second.toString());
        assertEquals(List.of("again.json", "again.npz"), listing(tmp), "the pair and nothing else");
        assertEquals(4, new ObjectMapper().readTree(tmp.resolve("again.json").toFile()).get("train").get("seed").asInt());
    }

    // ---------------------------------------------------------------- a diverged run keeps its best epoch

    @Test
    void aRunThatDivergesAfterSomeEpochsSavesItsBestEpoch() throws IOException {
        Path npz = tmp.resolve("best.npz");
        // with lr 2e-3 and no decay this net trains for three epochs and blows up in the fourth
        Run r = run("train", "--lr", "2e-3", "--lr-decay", "1", "--epochs", "6", "--subset", "500", "--batch-size", "50",
                "--hidden", "20", "--val-size", "200", "--test-size", "200", "--gemm", "ejml", "--checkpoint", npz.toString());
        assertEquals(TrainCommand.DIVERGED, r.code(), "a diverged run still exits 3: " + r);
        long epochs = r.outLines().stream().filter(l -> l.startsWith("Finished epoch ")).count();
        assertTrue(epochs >= 1 && epochs < 6, "some epochs, then the divergence: " + r);
        assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith("Run diverged: ")), r.toString());
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("best.json").toFile());
        int best = json.get("bestEpoch").asInt();
        assertTrue(best >= 1 && best <= epochs, "the best epoch before the divergence: " + json);
        assertTrue(json.get("outcome").asText().startsWith("diverged at iteration "), json.toString());
        assertTrue(json.get("outcome").asText().contains("the best before the divergence"), json.toString());
        String saved = "Saved " + npz + " and best.json: epoch " + best + "'s parameters, the best before the divergence"
                + " (validation accuracy " + String.format(java.util.Locale.ROOT, "%.6f", json.get("bestValAccuracy").asDouble()) + ").";
        assertTrue(r.outLines().contains(saved), saved + "\n" + r);
        assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith("best validation accuracy before the divergence: ")
                && l.contains("(epoch " + best + ")")), r.toString());
        assertEquals(List.of("best.json", "best.npz"), listing(tmp));
    }

    @Test
    void aRunThatDivergesBeforeAnyEpochSavesNothing() throws IOException {
        Path npz = tmp.resolve("none.npz");
        Run r = quick("--lr", "1e6", "--checkpoint", npz.toString());
        assertEquals(TrainCommand.DIVERGED, r.code(), r.toString());
        assertTrue(r.outLines().contains("Not saving " + npz + ": no epoch completed before the divergence."), r.toString());
        assertEquals(List.of(), listing(tmp));
    }

    // ---------------------------------------------------------------- what numpy sees

    @Test
    void aHiddenLayerOfOneKeepsItsWeightsMatrices() throws Exception {
        Path npz = tmp.resolve("h1.npz");
        Run r = run("train", "--epochs", "1", "--subset", "200", "--hidden", "1", "--val-size", "100", "--test-size", "50",
                "--checkpoint", npz.toString());
        assertEquals(0, r.code(), r.toString());
        Map<String, Npy.Array> arrays;
        try (InputStream in = Files.newInputStream(npz)) {
            arrays = Npy.readNpz(in);
        }
        assertArrayEquals(new int[] {3072, 1}, arrays.get("W1").shape());
        assertArrayEquals(new int[] {1, 10}, arrays.get("W2").shape());
        assertArrayEquals(new int[] {1}, arrays.get("b1").shape());
        String python = org.babysitter.testing.Python.with("numpy");
        assumeTrue(python != null, "python3 with numpy is not available");
        Process p = new ProcessBuilder(python, "-c", "import sys, numpy as np; d = np.load(sys.argv[1]);"
                + " print(d['W1'].shape, d['W2'].shape, d['b2'].shape)", npz.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("(3072, 1) (1, 10) (10,)", out);
    }
}
