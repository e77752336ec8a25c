package org.babysitter.cli;

import static org.babysitter.cli.CliTest.oneErrorLine;
import static org.babysitter.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.babysitter.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train command's options: defaults from the configs, the header as the run is, --preset lecture and which
 * options may change it, the --batching synonym, and options the run would silently ignore refused.
 */
class TrainOptionsTest {
    @TempDir
    Path tmp;

    private static String header(Run r) {
        return r.outLines().stream().filter(l -> l.startsWith("Net: ")).findFirst().orElseThrow(() -> new AssertionError(r));
    }

    // ---------------------------------------------------------------- defaults and the header

    @Test
    void helpShowsTheConfigsDefaultsExactly() {
        Run r = run("train", "--help");
        assertEquals(0, r.code(), r.toString());
        String help = r.out().replaceAll("\\s+", " ");
        for (String expected : new String[] {"--lr=LR Learning rate (default: 1e-4).", "(default: 1e-3).", "(default: 0.95).",
                "--std=S Std of the gaussian init (default: 1e-4).", "(default: 50, the lecture's two-layer net)",
                "relu, leaky_relu, tanh, sigmoid (default: relu).", "sgd, momentum, nesterov, rmsprop, adam, adamw (default: momentum).",
                "(default: sampled).", "Epochs (default: 10).", "(default: mean_image, the lecture's)"}) {
            assertTrue(help.contains(expected), "help should contain '" + expected + "': " + help);
        }
        assertFalse(help.contains("E-4") || help.contains("1.0E"), "no Java double text: " + help);
    }

    @Test
    void headerSaysTheBatchThatRunsAndExactNumbers() {
        Run r = run("train", "--epochs", "1", "--subset", "20", "--lr", "9.471549e-4", "--reg", "1e6", "--val-size", "100",
                "--test-size", "10");
        String net = header(r);
        assertTrue(net.contains("batch 20 (batches sampled with replacement)"), "20 training images: batches of 20: " + net);
        assertTrue(net.contains("lr 9.471549e-4") && net.contains("reg 1e6"), net);
        assertTrue(net.contains("1 epoch, seed 0"), net);
        assertFalse(net.contains("E-") || net.contains("1000000.0") || net.contains("E6"), net);
    }

    @Test
    void fullBatchesShowTheWholeTrainingSetAsTheBatch() {
        String net = header(run("train", "--epochs", "1", "--subset", "300", "--batching", "full", "--val-size", "100",
                "--test-size", "10"));
        assertTrue(net.contains("batch 300 (one full-batch step per epoch)"), net);
    }

    // ---------------------------------------------------------------- --batching and its old name

    @Test
    void noSampleBatchesIsShuffledPasses() {
        String net = header(run("train", "--epochs", "1", "--subset", "200", "--no-sample-batches", "--val-size", "100",
                "--test-size", "10"));
        assertTrue(net.contains("batch 100 (shuffled passes)"), net);
        String both = oneErrorLine(run("train", "--no-sample-batches", "--batching", "shuffled"));
        assertTrue(both.contains("--no-sample-batches is the older name of --batching shuffled: give one of them"), both);
    }

    // ---------------------------------------------------------------- --preset lecture

    @Test
    void lecturePresetIsTheLecturesTrainerWithTheUsersLrRegAndEpochs() throws Exception {
        Path npz = tmp.resolve("lecture.npz");
        Run r = run("train", "--preset", "lecture", "--lr", "1e-3", "--reg", "0.5", "--epochs", "1", "--batch-size", "100",
                "--subset", "200", "--val-size", "100", "--test-size", "10", "--checkpoint", npz.toString());
        assertEquals(0, r.code(), r.toString());
        String net = header(r);
        assertTrue(net.contains("update: momentum 0 (--preset lecture), lr 1e-3, reg 0.5, lr decay 0.95, batch 100"
                + " (batches sampled with replacement), 1 epoch"), net);
        JsonNode train = new ObjectMapper().readTree(tmp.resolve("lecture.json").toFile()).get("train");
        assertEquals("MOMENTUM", train.get("updateRule").asText());
        assertEquals(0.0, train.get("momentum").asDouble(), "the lecture's momentum is recorded: it applies to this rule");
        assertEquals(0.95, train.get("learningRateDecay").asDouble());
    }

    @Test
    void presetScheduleAndBatchesMayBeChangedItsRuleMayNot() {
        String net = header(run("train", "--preset", "lecture", "--lr-decay", "1", "--batch-size", "50", "--batching", "shuffled",
                "--epochs", "1", "--subset", "200", "--val-size", "100", "--test-size", "10"));
        assertTrue(net.contains("momentum 0 (--preset lecture)") && net.contains("lr decay 1, batch 50 (shuffled passes)"), net);
        for (List<String> args : List.of(List.of("--update", "adam"), List.of("--momentum", "0.9"), List.of("--update", "momentum"))) {
            String line = oneErrorLine(run(concat(List.of("train", "--preset", "lecture"), args)));
            assertTrue(line.contains(args.get(0) + " cannot change --preset lecture"), line);
            assertTrue(line.contains("momentum 0"), line);
        }
        String unknown = oneErrorLine(run("train", "--preset", "karpathy"));
        assertTrue(unknown.contains("--preset") && unknown.contains("expected one of lecture"), unknown);
    }

    @Test
    void helpSaysWhyThePresetHasMomentumZero() {
        String help = run("train", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("update='momentum' with the 2015 trainer's default momentum 0"), help);
        assertTrue(help.contains("under momentum 0.9 (this tool's default), whose steps are ~10x larger, they diverge"), help);
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    // ---------------------------------------------------------------- what a run would silently ignore

    @Test
    void stdIsRefusedWithAnInitThatSetsItsOwn() {
        String xavier = oneErrorLine(run("train", "--init", "xavier", "--std", "0.1"));
        assertTrue(xavier.contains("--std 0.1 would be ignored: --init xavier sets each layer's std from its fan-in"
                + " (1/sqrt(fan_in))"), xavier);
        String he = oneErrorLine(run("sanity", "--init", "he", "--std", "1e-2"));
        assertTrue(he.contains("--std 0.01 would be ignored: --init he") && he.contains("sqrt(2/fan_in)"), he);
        // the default std with another init is not a contradiction: nothing was given
        assertEquals(0, run("train", "--init", "xavier", "--epochs", "1", "--subset", "100", "--val-size", "100",
                "--test-size", "10").code());
    }

    @Test
    void momentumIsRefusedWithARuleThatTakesNone() {
        for (String rule : new String[] {"sgd", "rmsprop", "adam", "adamw"}) {
            String line = oneErrorLine(run("train", "--update", rule, "--momentum", "0.5"));
            assertTrue(line.contains("--momentum 0.5 would be ignored: --update " + rule + " takes no momentum"), line);
        }
        String full = oneErrorLine(run("train", "--batching", "full", "--batch-size", "50"));
        assertTrue(full.contains("--batch-size 50 would be ignored: --batching full"), full);
    }

    @Test
    void checkpointOfARuleWithoutMomentumRecordsNone() throws Exception {
        Path npz = tmp.resolve("adam.npz");
        Run r = run("train", "--update", "adam", "--lr", "1e-3", "--epochs", "1", "--subset", "100", "--val-size", "100",
                "--test-size", "10", "--hidden", "8", "--checkpoint", npz.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(header(r).contains("update: adam, lr 1e-3"), header(r));
        JsonNode train = new ObjectMapper().readTree(tmp.resolve("adam.json").toFile()).get("train");
        assertEquals("ADAM", train.get("updateRule").asText());
        assertFalse(train.has("momentum"), "adam ran without momentum: " + train);
    }

    // ---------------------------------------------------------------- no validation images

    @Test
    void withoutValidationImagesTheBestIsByTrainAccuracyAndSaysSo() {
        Run r = run("train", "--val-size", "0", "--epochs", "1", "--subset", "200", "--test-size", "10");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.outLines().contains("No validation images (--val-size 0): the best epoch is the one of the best train accuracy."),
                r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("finished optimization\\. best train accuracy: \\d\\.\\d{6}")), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("test accuracy \\(best train-accuracy parameters\\): \\d\\.\\d{6}")),
                r.toString());
        assertFalse(r.out().contains("best validation accuracy"), r.toString());
    }

    @Test
    void overwriteWithoutCheckpointIsRefused() {
        String line = oneErrorLine(run("train", "--overwrite"));
        assertTrue(line.contains("--overwrite applies to --checkpoint and --filters, neither is given"), line);
    }
}
