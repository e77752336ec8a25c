package org.babysitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.babysitter.engine.search.Dimension;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.PrunerSpec;
import org.babysitter.engine.search.SearchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code search} on the built-in data: the lecture's lines, the spec files, exit codes. */
class SearchCommandTest {
    /** The lecture's line, optionally followed by other values and why a trial stopped early. */
    private static final Pattern TRIAL_LINE = Pattern.compile(
            "val_acc: \\d\\.\\d{6}, lr: \\d\\.\\d{6}e[-+]\\d{2}, reg: \\d\\.\\d{6}e[-+]\\d{2}, \\((\\d+) / (\\d+)\\)( .*)?");

    @TempDir
    Path tmp;

    @Test
    void printsTheLecturesLineForEveryTrialThenTheBestAndWritesBothSpecs() throws Exception {
        Path coarse = tmp.resolve("coarse.json");
        Path fine = tmp.resolve("fine.json");
        CliTest.Run r = CliTest.run("search", "--lr", "1e-5:1e-3:log", "--reg", "1e-4:1:log", "--trials", "4", "--epochs", "1",
                "--subset", "1000", "--seed", "1", "--jobs", "1", "--save-spec", coarse.toString(), "--fine-spec", fine.toString(),
                "--fine-epochs", "3", "--fine-subset", "0", "--top", "2");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.outLines().stream().filter(l -> TRIAL_LINE.matcher(l).matches()).toList();
        assertEquals(4, lines.size(), r.toString());
        for (int i = 0; i < 4; i++) {
            assertTrue(lines.get(i).contains("(" + (i + 1) + " / 4)"), lines.get(i));
        }
        assertTrue(r.outLines().stream().anyMatch(l -> l.matches("Best: val_acc \\d\\.\\d{6}, trial \\d: lr .*")), r.toString());
        SearchSpec saved = SearchSpec.load(coarse);
        assertEquals(Dimension.log(1e-5, 1e-3), saved.range(Hyper.LR));
        assertEquals(1000, saved.subset());
        SearchSpec next = SearchSpec.load(fine);
        assertEquals(3, next.epochs());
        assertEquals(0, next.subset());
        assertEquals(2, next.seed());
        assertTrue(next.range(Hyper.LR).low() >= 1e-5 * 0.5 && next.range(Hyper.LR).high() <= 1e-3 * 2, next.toString());
    }

    @Test
    void flagsBesideASpecFileReplaceItsValuesAndTheSameSeedPrintsTheSameLines() throws Exception {
        Path f = tmp.resolve("s.json");
        SearchSpec.lectureCoarse(3, 2, 800, 4).withPruner(PrunerSpec.MEDIAN).save(f);
        CliTest.Run a = CliTest.run("search", "--spec", f.toString(), "--trials", "2", "--jobs", "1");
        CliTest.Run b = CliTest.run("search", "--spec", f.toString(), "--trials", "2", "--jobs", "1");
        assertEquals(0, a.code(), a.toString());
        assertTrue(a.out().contains("800 train / 1000 val"), a.toString());
        assertTrue(a.out().contains("2 trials of 2 epochs, seed 4, pruner median rule"), a.toString());
        List<String> la = a.outLines().stream().filter(l -> TRIAL_LINE.matcher(l).matches()).toList();
        assertEquals(2, la.size(), a.toString());
        assertEquals(la, b.outLines().stream().filter(l -> TRIAL_LINE.matcher(l).matches()).toList());
    }

    @Test
    void aDivergedTrialSaysWhyAndBadInputExitsWith2() {
        CliTest.Run r = CliTest.run("search", "--lr", "5", "--reg", "1e-3", "--trials", "1", "--subset", "500");
        assertEquals(TrainCommand.DIVERGED, r.code(), "every trial diverged: " + r);
        assertTrue(r.outLines().stream().anyMatch(l -> TRIAL_LINE.matcher(l).matches() && l.contains("  diverged: epoch 1: ")),
                r.toString());

        CliTest.Run bad = CliTest.run("search", "--lr", "1e-3:1e-6:cubic");
        assertEquals(Main.BAD_INPUT, bad.code(), bad.toString());
        assertEquals("babysitter: --lr: '1e-3:1e-6:cubic': the scale after the second ':' is log or uniform", bad.err().strip());
        CliTest.Run momentum = CliTest.run("search", "--momentum", "0.5:1.5:uniform");
        assertEquals(Main.BAD_INPUT, momentum.code());
        assertTrue(momentum.err().contains("momentum must be in [0, 1)"), momentum.toString());
        assertEquals(Main.BAD_INPUT, CliTest.run("search", "--trials", "0").code());
        assertEquals(Main.BAD_INPUT, CliTest.run("search", "--fine-epochs", "5").code());
        assertEquals(Main.BAD_INPUT, CliTest.run("search", "--spec", tmp.resolve("missing.json").toString()).code());
        assertEquals(Main.BAD_INPUT, CliTest.run("search", "--pruner", "sometimes").code());
    }

    @Test
    void aSearchInAStoreResumesWithTheTrialsThatDidNotEnd() throws Exception {
        Path store = tmp.resolve("ws");
        CliTest.Run r = CliTest.run("search", "--store", store.toString(), "--trials", "3", "--subset", "500", "--seed", "2",
                "--jobs", "1");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Search s1 recorded in "), r.toString());
        List<String> lines = r.outLines().stream().filter(l -> TRIAL_LINE.matcher(l).matches()).toList();
        // the third trial's outcome lost, as if the process had died while it trained
        try (org.babysitter.engine.runs.RunStore runs = org.babysitter.engine.runs.RunStore.open(store)) {
            long third = runs.list(false).stream().filter(s -> s.tags().contains("trial:3")).findFirst().orElseThrow().id();
            runs.note(third, "");
        }
        CliTest.Run again = CliTest.run("search", "--store", store.toString(), "--resume", "s1", "--subset", "500", "--jobs", "1");
        assertEquals(Main.BAD_INPUT, again.code(), "the spec is the search's own: " + again);
        assertTrue(again.err().contains("--subset cannot change a resumed search"), again.toString());
        CliTest.Run wrongData = CliTest.run("search", "--store", store.toString(), "--resume", "s1", "--val-size", "500");
        assertEquals(Main.BAD_INPUT, wrongData.code(), wrongData.toString());
        assertTrue(wrongData.err().contains("give the same --data and --val-size"), wrongData.toString());
        // the subset is the spec's: the data read again is the same
        CliTest.Run resumed = CliTest.run("search", "--store", store.toString(), "--resume", "s1", "--jobs", "1");
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains("2 trials ended earlier"), resumed.toString());
        List<String> resumedLines = resumed.outLines().stream().filter(l -> TRIAL_LINE.matcher(l).matches()).toList();
        assertEquals(List.of(lines.get(0) + "  (earlier)", lines.get(1) + "  (earlier)", lines.get(2)), resumedLines);
        assertEquals(Main.BAD_INPUT, CliTest.run("search", "--resume", "s1").code());
        assertEquals(Main.BAD_INPUT, CliTest.run("search", "--store", store.toString(), "--resume", "s7").code());
    }

    @Test
    void aSpecFileThatIsNotASpecIsRefusedWithWhatIsWrong() throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"strategy\":\"RANDOM\",\"ranges\":{},\"rules\":[],\"trials\":5,\"epochs\":0,\"subset\":0,\"seed\":1,"
                + "\"pruner\":{\"kind\":\"NONE\",\"minTrials\":4,\"minEpoch\":1,\"eta\":3}}");
        CliTest.Run r = CliTest.run("search", "--spec", f.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.toString());
        assertEquals("babysitter: search spec: a trial needs at least 1 epoch, got 0", r.err().strip());
    }

    @Test
    void compareGridRunsBothOnTheSameBudgetAndCountsTheDistinctLearningRates() {
        CliTest.Run r = CliTest.run("search", "--compare-grid", "--lr", "1e-4:1e-2:log", "--reg", "1e-4:1:log", "--trials", "4",
                "--epochs", "1", "--subset", "300", "--seed", "3", "--jobs", "1");
        assertEquals(0, r.code(), r.toString());
        assertEquals(8, r.outLines().stream().filter(l -> TRIAL_LINE.matcher(l.strip()).matches()).count(), r.toString());
        assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith("Grid   best: val_acc: ")
                && l.endsWith("; 2 distinct lr values, 2 distinct reg values")), r.toString());
        assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith("Random best: val_acc: ")
                && l.endsWith("; 4 distinct lr values, 4 distinct reg values")), r.toString());
        assertTrue(r.outLines().stream().anyMatch(l -> l.endsWith("random tried 4 distinct lr values, the grid 2.")), r.toString());
        CliTest.Run bad = CliTest.run("search", "--compare-grid", "--trials", "10");
        assertEquals(Main.BAD_INPUT, bad.code(), bad.toString());
        assertTrue(bad.err().contains("square"), bad.toString());
    }
}
