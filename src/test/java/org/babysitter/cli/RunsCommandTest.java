package org.babysitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.runs.RunDetail;
import org.babysitter.engine.runs.RunState;
import org.babysitter.engine.runs.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --store} and {@code runs ...}: in this JVM through {@link Main#execute}, and a child JVM killed mid-run. */
class RunsCommandTest {
    @TempDir
    Path tmp;

    private static final String[] SHORT_RUN = {"--epochs", "2", "--subset", "500", "--hidden", "20", "--val-size", "200",
            "--test-size", "100"};

    private CliTest.Run train(Path store, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--store", store.toString()));
        args.addAll(List.of(SHORT_RUN));
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void trainRecordsTheRunAndRunsListShowExportReadIt() throws Exception {
        Path store = tmp.resolve("ws");
        CliTest.Run r = train(store, "--name", "first try");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.outLines().contains("Run 1 recorded in " + store.resolve("runs.db")), r.toString());

        CliTest.Run list = CliTest.run("runs", "list", "--store", store.toString());
        assertEquals(0, list.code(), list.toString());
        assertEquals(2, list.outLines().size(), list.toString());
        assertTrue(list.outLines().get(0).matches("\\s+id\\s+state\\s+created\\s+name\\s+data\\s+net\\s+rule\\s+lr\\s+reg\\s+epochs\\s+best val"),
                list.toString());
        assertTrue(list.outLines().get(1).matches("\\s+1\\s+finished\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+first try\\s+built-in\\s+3072-20-10"
                + "\\s+momentum 0\\.9\\s+1e-4\\s+1e-3\\s+2/2\\s+\\d\\.\\d{6}"), list.toString());

        try (RunStore runs = RunStore.openExisting(store)) {
            RunHistory h = runs.history(1);
            org.babysitter.engine.metrics.RunEvaluation evaluation = h.reports().stream()
                    .filter(x -> x instanceof org.babysitter.engine.metrics.RunEvaluation)
                    .map(x -> (org.babysitter.engine.metrics.RunEvaluation) x).findFirst().orElseThrow();
            assertTrue(r.outLines().contains(String.format(java.util.Locale.ROOT,
                    "test accuracy (best validation parameters): %.6f", evaluation.testAccuracy())), r.toString());
            assertEquals(200, evaluation.validation().total(), "the validation confusion kept");
        }

        CliTest.Run show = CliTest.run("runs", "show", "1", "--store", store.toString());
        assertEquals(0, show.code(), show.toString());
        List<String> lines = show.outLines();
        assertEquals("Run 1: first try", lines.get(0));
        assertEquals("State: finished", lines.get(1));
        assertTrue(lines.contains("Net: 3072-20-10 ReLU, gaussian std 1e-4, softmax"), show.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Data: built-in") && l.contains("sha256:")), show.toString());
        // the epoch lines are the ones train printed
        List<String> trained = r.outLines().stream().filter(l -> l.startsWith("Finished epoch")).toList();
        assertEquals(2, trained.size());
        assertEquals(trained, lines.stream().filter(l -> l.startsWith("Finished epoch")).toList());

        Path out = tmp.resolve("export");
        CliTest.Run export = CliTest.run("runs", "export", "1", "--to", out.toString(), "--store", store.toString());
        assertEquals(0, export.code(), export.toString());
        assertTrue(Files.readString(out.resolve("run-1.csv")).startsWith("iteration,epoch,loss,learning_rate,reg,update_ratio_W1"));
        assertTrue(Files.exists(out.resolve("run-1-best.npz")) && Files.exists(out.resolve("run-1-best.json")));
        CliTest.Run again = CliTest.run("runs", "export", "1", "--to", out.toString(), "--store", store.toString());
        assertEquals(Main.BAD_INPUT, again.code());
        assertEquals(List.of("babysitter: " + out.resolve("run-1.csv") + " exists: export into another folder, or replace with"
                + " --overwrite"), again.errLines());
        assertEquals(0, CliTest.run("runs", "export", "1", "--to", out.toString(), "--overwrite", "--store", store.toString()).code());

        assertEquals(0, CliTest.run("runs", "rename", "1", "lecture net", "--store", store.toString()).code());
        assertEquals(0, CliTest.run("runs", "tag", "1", "a", "b", "--store", store.toString()).code());
        assertEquals(0, CliTest.run("runs", "note", "1", "good start", "--store", store.toString()).code());
        show = CliTest.run("runs", "show", "1", "--store", store.toString());
        assertTrue(show.outLines().containsAll(List.of("Run 1: lecture net", "Tags: a, b", "Note: good start")), show.toString());
        CliTest.Run delete = CliTest.run("runs", "delete", "1", "--store", store.toString());
        assertEquals(List.of("Deleted run 1 (runs undelete 1 brings it back)"), delete.outLines());
        assertEquals(List.of("No runs in " + store.resolve("runs.db") + "."), CliTest.run("runs", "list", "--store", store.toString()).outLines());
        assertEquals(0, CliTest.run("runs", "undelete", "1", "--store", store.toString()).code());
        assertEquals(2, CliTest.run("runs", "list", "--store", store.toString()).outLines().size());
        assertEquals(List.of("Deleted run 1", "Purged 1 deleted run"),
                CliTest.run("runs", "delete", "1", "--purge", "--store", store.toString()).outLines());
    }

    @Test
    void runsCompareShowsOnlyTheDifferingSettingsAndWritesTheCurves() throws Exception {
        Path store = tmp.resolve("ws");
        assertEquals(0, train(store, "--lr", "1e-4").code());
        assertEquals(0, train(store, "--lr", "1e-3").code());

        Path csv = tmp.resolve("out").resolve("curves.csv");
        Files.createDirectories(csv.getParent());
        CliTest.Run r = CliTest.run("runs", "compare", "1", "2", "--store", store.toString(), "--csv", csv.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.outLines();
        assertEquals(List.of("id", "name", "lr", "final loss", "best val", "epochs", "state"),
                List.of(lines.get(0).strip().split("\\s{2,}")), "only the lr differs: " + r);
        try (RunStore runs = RunStore.openExisting(store)) {
            for (int id = 1; id <= 2; id++) {
                RunDetail d = runs.detail(id);
                List<IterationMetrics> its = d.history().iterations();
                String expected = String.format(java.util.Locale.ROOT, "%d  %s  %s  %.4f  %.6f  2/2  finished", id,
                        d.summary().name(), id == 1 ? "1e-4" : "1e-3", its.get(its.size() - 1).loss(), d.summary().bestVal());
                assertEquals(expected, lines.get(id).strip().replaceAll("\\s{2,}", "  "), r.toString());
            }
            assertEquals("Curves written to " + csv, lines.get(3));

            List<String> rows = Files.readAllLines(csv);
            assertEquals("iteration,loss_run_1,loss_run_2,val_run_1,val_run_2", rows.get(0));
            RunHistory one = runs.history(1);
            RunHistory two = runs.history(2);
            assertEquals(one.iterations().size() + 1, rows.size(), "a row an iteration");
            String[] first = rows.get(1).split(",", -1);
            assertEquals(1, Integer.parseInt(first[0]));
            assertEquals(one.iterations().get(0).loss(), Double.parseDouble(first[1]), 1e-6);
            assertEquals(two.iterations().get(0).loss(), Double.parseDouble(first[2]), 1e-6);
            assertEquals("", first[3], "no epoch ended at iteration 1");
            EpochMetrics last = two.epochs().get(1);
            String[] end = rows.stream().filter(l -> l.startsWith(last.iteration() + ",")).findFirst().orElseThrow().split(",", -1);
            assertEquals(last.valAccuracy(), Double.parseDouble(end[4]), 1e-6);
            assertEquals(one.epochs().get(1).valAccuracy(), Double.parseDouble(end[3]), 1e-6);
        }

        // an unknown id: one line, the input's exit code, no file written
        Path none = tmp.resolve("out").resolve("none.csv");
        CliTest.Run unknown = CliTest.run("runs", "compare", "1", "42", "--store", store.toString(), "--csv", none.toString());
        assertEquals(Main.BAD_INPUT, unknown.code());
        assertEquals(List.of("babysitter: no run 42 in " + store.resolve("runs.db") + " (runs list shows the ids)"), unknown.errLines());
        assertEquals("", unknown.out());
        assertTrue(!Files.exists(none));
        CliTest.Run one = CliTest.run("runs", "compare", "1", "--store", store.toString());
        assertEquals(Main.BAD_INPUT, one.code(), "two runs at least");
    }

    @Test
    void errorsAreOneLine() throws Exception {
        Path store = tmp.resolve("ws");
        CliTest.Run none = CliTest.run("runs", "list", "--store", store.toString());
        assertEquals(0, none.code());
        assertEquals(List.of("No runs in " + store + " yet (no runs.db): train --store " + store + " records one."), none.outLines());
        CliTest.Run missing = CliTest.run("runs", "show", "3", "--store", store.toString());
        assertEquals(Main.BAD_INPUT, missing.code());
        assertEquals(List.of("babysitter: no run store in " + store + " (no runs.db): record runs with train --store " + store),
                missing.errLines());

        Files.createDirectories(store);
        Files.writeString(store.resolve("runs.db"), "garbage, not SQLite");
        for (String[] args : List.of(new String[] {"runs", "list", "--store", store.toString()},
                new String[] {"train", "--store", store.toString(), "--epochs", "1"})) {
            CliTest.Run corrupt = CliTest.run(args);
            assertEquals(Main.BAD_INPUT, corrupt.code(), corrupt.toString());
            assertEquals(List.of("babysitter: " + store.resolve("runs.db") + " is not a Babysitter run store (not an SQLite database)"),
                    corrupt.errLines());
            assertEquals("", corrupt.out(), "refused before anything is trained");
        }

        Path good = tmp.resolve("good");
        RunStore.open(good).close();
        CliTest.Run unknown = CliTest.run("runs", "show", "42", "--store", good.toString());
        assertEquals(Main.BAD_INPUT, unknown.code());
        assertEquals(List.of("babysitter: no run 42 in " + good.resolve("runs.db") + " (runs list shows the ids)"), unknown.errLines());
        CliTest.Run name = CliTest.run("train", "--name", "x");
        assertEquals(Main.BAD_INPUT, name.code());
        assertEquals(List.of("babysitter: --name names the run in a store: give --store DIR too"), name.errLines());
    }

    /**
     * kill -9 mid-run: the store reopens with the run interrupted, holding every epoch the child printed at least a
     * second before the kill (its writer commits every 250 ms), nothing the child had not yet done, and every
     * iteration from 1 on, in order.
     */
    @Test
    void aRunKilledMidRunReopensInterruptedWithItsMetricsUpToTheLastSecond() throws Exception {
        Path store = tmp.resolve("ws");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--store",
                store.toString(), "--epochs", "100000", "--subset", "1000", "--hidden", "20", "--val-size", "200",
                "--test-size", "100"));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        record Line(long nanos, String text) {
        }
        List<Line> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(new Line(System.nanoTime(), l));
                }
            } catch (java.io.IOException ignored) {
                // killed
            }
        });
        reader.start();
        long killedAt;
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (lines.stream().noneMatch(l -> l.text().startsWith("Finished epoch 3 /")) && System.nanoTime() < end
                    && child.isAlive()) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "training: " + lines);
            Thread.sleep(2000); // well into the run: epochs printed and recorded since
            killedAt = System.nanoTime();
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            reader.join(5000);
        } finally {
            child.destroyForcibly();
        }
        Pattern epochLine = Pattern.compile("Finished epoch (\\d+) / 100000:.*");
        int printedBefore = 0; // epochs printed at least a second before the kill
        int printedAtAll = 0;
        synchronized (lines) {
            for (Line l : lines) {
                Matcher m = epochLine.matcher(l.text());
                if (m.matches()) {
                    printedAtAll = Integer.parseInt(m.group(1));
                    if (l.nanos() < killedAt - TimeUnit.SECONDS.toNanos(1)) {
                        printedBefore = printedAtAll;
                    }
                }
            }
        }
        assertTrue(printedBefore >= 3, "epochs printed a second before the kill: " + printedBefore);

        try (RunStore runs = RunStore.openExisting(store)) {
            RunDetail d = runs.detail(1);
            assertEquals(RunState.INTERRUPTED, d.summary().state(), d.toString());
            RunHistory h = d.history();
            List<EpochMetrics> epochs = h.epochs();
            assertTrue(epochs.size() >= printedBefore, epochs.size() + " epochs stored, " + printedBefore
                    + " printed a second before the kill");
            assertTrue(epochs.size() <= printedAtAll + 1, epochs.size() + " epochs stored, " + printedAtAll + " printed in all");
            List<IterationMetrics> its = h.iterations();
            for (int i = 0; i < its.size(); i++) {
                assertEquals(i + 1, its.get(i).iteration(), "every iteration, in order");
            }
            assertTrue(its.size() >= epochs.size() * 10, its.size() + " iterations for " + epochs.size() + " epochs");
            assertEquals(epochs.size(), d.summary().epochsDone());
        }
        assertEquals(List.of(), listOwners(store), "the dead owner's lock file is gone, ours released");
    }

    private static List<String> listOwners(Path store) throws java.io.IOException {
        try (var files = Files.list(store.resolve("owners"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
