package org.babysitter.engine.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.diagnosis.Narrator;
import org.babysitter.engine.diagnosis.Rule;
import org.babysitter.engine.io.Npy;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.metrics.RunEvaluation;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.metrics.RunReport;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.Param;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.Batching;
import org.babysitter.engine.train.Checkpoint;
import org.babysitter.engine.train.Evaluator;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.TrainResult;
import org.babysitter.engine.train.Trainer;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run store: a short run recorded and reopened whole, the list's operations, export, refusals, interrupted runs. */
class RunStoreTest {
    static PreparedData data;
    static final NetConfig NET = NetConfig.lecture().withHidden(List.of(20));
    static final TrainConfig CONFIG = new TrainConfig(UpdateRuleKind.MOMENTUM, 3e-4, 0.9, 0.9, 1e-3, 50, 3, Batching.SAMPLED, 7, 200);

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        data = PreparedData.prepare(BuiltInData.generate(1200, 100, 5), new SplitSpec(200, 0, 0), Preprocessing.MEAN_IMAGE);
    }

    static RunSpec spec(String name) {
        return new RunSpec(name, NET, CONFIG, "mean image", DataIdentity.ofImages(data.dataset()));
    }

    /** A finished 3-epoch run recorded with the assistant listening, its evaluation and kept parameters. */
    record Recorded(long id, RunHistory live, List<Finding> findings, Trainer trainer, TrainResult result) {
    }

    static Recorded recordRun(RunStore store, String name) throws IOException {
        Trainer trainer = Trainer.create(NET, data.dataset(), data.preprocessor(), CONFIG, new EjmlGemm(false));
        RunHistory live = new RunHistory();
        List<Finding> findings = new ArrayList<>();
        try (RunRecorder recorder = store.record(spec(name))) {
            trainer.addListener(live);
            trainer.addListener(recorder);
            Narrator narrator = new Narrator(f -> {
                findings.add(f);
                recorder.onFinding(f);
            });
            trainer.addListener(narrator);
            trainer.sampleLayerStatistics(10);
            TrainResult result = trainer.run();
            // a finding of our own, so that the round trip has one whatever the assistant said
            Finding extra = new Finding(Rule.LR_TOO_LOW, Finding.Severity.NOTE, "loss", 5, "loss fell 0.5%", "< 1%",
                    "Raise lr 10x", Finding.Fix.RAISE_LR_10X);
            findings.add(extra);
            recorder.onFinding(extra);
            RunEvaluation evaluation = new Evaluator(trainer.net(), data.preprocessor()).evaluate(data.dataset(),
                    result.iterations(), result.bestEpoch());
            evaluation.deliverTo(live);
            evaluation.deliverTo(recorder);
            Checkpoint c = new Checkpoint(NET, CONFIG, Preprocessing.MEAN_IMAGE, data.dataset().source(),
                    data.dataset().classNames(), result.bestEpoch(), result.bestValAccuracy(), "completed");
            recorder.keepBest(c.npzBytes(trainer.net(), data.preprocessor()), c.json());
            return new Recorded(recorder.id(), live, findings, trainer, result);
        }
    }

    @Test
    void aRunComesBackWholeAndInOrder() throws Exception {
        Recorded run;
        try (RunStore store = RunStore.open(tmp)) {
            run = recordRun(store, "first");
        }
        try (RunStore store = RunStore.open(tmp)) {
            RunDetail d = store.detail(run.id());
            assertEquals(RunState.FINISHED, d.summary().state());
            assertEquals("first", d.summary().name());
            assertEquals(NET, d.netConfig());
            assertEquals(CONFIG, d.trainConfig());
            assertEquals(DataIdentity.ofImages(data.dataset()), d.data());
            assertEquals(3, d.summary().epochsDone());
            assertEquals(run.result().iterations(), d.iterations());
            assertEquals(run.result().bestValAccuracy(), d.summary().bestVal());
            assertEquals(run.result().bestEpoch(), d.bestEpoch());
            assertEquals(run.findings(), d.findings());

            List<RunReport> live = run.live().reports();
            List<RunReport> back = store.history(run.id()).reports();
            assertEquals(live.size(), back.size());
            assertTrue(live.stream().anyMatch(r -> r instanceof org.babysitter.engine.metrics.LayerStatistics), "layer samples too");
            for (int i = 0; i < live.size(); i++) {
                if (live.get(i) instanceof RunEvaluation e) {
                    RunEvaluation b = (RunEvaluation) back.get(i);
                    assertEquals(e.testAccuracy(), b.testAccuracy());
                    assertArrayEquals(e.validation().counts(), b.validation().counts());
                    assertEquals(e.firstLayer().size(), b.firstLayer().size());
                    assertArrayEquals(e.firstLayer().get(0), b.firstLayer().get(0));
                } else {
                    assertEquals(live.get(i), back.get(i), "report " + i);
                }
            }
            assertEquals(run.live().toCsv(), store.history(run.id()).toCsv(), "the charts' CSV the same");

            Map<String, Npy.Array> npz = Npy.readNpz(new ByteArrayInputStream(store.bestNpz(run.id())));
            for (Param p : run.trainer().net().params()) {
                assertArrayEquals(p.value().data, npz.get(p.name()).data(), p.name());
            }
        }
    }

    @Test
    void nanLossesAndControlChangesSurvive() throws Exception {
        try (RunStore store = RunStore.open(tmp)) {
            long id;
            try (RunRecorder r = store.record(spec("broken"))) {
                id = r.id();
                r.onEvent(new RunEvent.ControlChanged(3, RunEvent.Control.LEARNING_RATE, 1e-3, 1e-4));
                r.onIteration(new org.babysitter.engine.metrics.IterationMetrics(4, 0.2, Double.NaN, 1e-4, 1e-3,
                        List.of(Double.NaN, 1e-3), 10, Double.POSITIVE_INFINITY));
                r.onEvent(new RunEvent.Rewound(4, Double.NaN, RunEvent.Cause.LEARNING_RATE, "NaN", 2, 2.3, 1e-4, 1e-3));
                r.onEvent(new RunEvent.Diverged(5, Double.NaN, RunEvent.Cause.LEARNING_RATE, "NaN loss", Double.NaN, 0));
            }
            RunDetail d = store.detail(id);
            assertEquals(RunState.DIVERGED, d.summary().state());
            assertEquals("NaN loss", d.reason());
            assertTrue(Double.isNaN(d.summary().bestVal()));
            assertEquals(4, d.history().reports().size());
            assertEquals(new org.babysitter.engine.metrics.IterationMetrics(4, 0.2, Double.NaN, 1e-4, 1e-3,
                    List.of(Double.NaN, 1e-3), 10, Double.POSITIVE_INFINITY), d.history().iterations().get(0));
            assertEquals(new RunEvent.ControlChanged(3, RunEvent.Control.LEARNING_RATE, 1e-3, 1e-4), d.history().events().get(0));
        }
    }

    @Test
    void listRenameTagNoteDeleteUndeletePurge() throws Exception {
        try (RunStore store = RunStore.open(tmp)) {
            long a;
            long b;
            try (RunRecorder r = store.record(spec("a"))) {
                a = r.id();
                r.failed("out of memory");
            }
            try (RunRecorder r = store.record(spec("b"))) {
                b = r.id();
            }
            assertEquals(List.of(b, a), store.list(false).stream().map(RunSummary::id).toList(), "newest first");
            assertEquals(RunState.FAILED, store.detail(a).summary().state());
            assertEquals("out of memory", store.detail(a).reason());
            assertEquals(RunState.INTERRUPTED, store.detail(b).summary().state(), "closed before it ended");

            store.rename(a, "  renamed ");
            store.tag(a, List.of("lecture", "baseline", "lecture"));
            store.note(a, "the first try");
            RunSummary s = store.list(false).get(1);
            assertEquals("renamed", s.name());
            assertEquals(List.of("baseline", "lecture"), s.tags());
            assertEquals("the first try", s.note());
            assertEquals(0.0, s.reg() - CONFIG.reg());
            assertEquals(NET.describe(), s.net());

            store.delete(a);
            assertEquals(List.of(b), store.list(false).stream().map(RunSummary::id).toList());
            assertTrue(store.list(true).stream().anyMatch(r -> r.id() == a && r.deleted()));
            store.undelete(a);
            assertEquals(2, store.list(false).size());
            store.delete(a);
            assertEquals(1, store.purge());
            assertEquals(List.of(b), store.list(true).stream().map(RunSummary::id).toList());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.detail(a));
            assertEquals("no run " + a + " in " + store.file() + " (runs list shows the ids)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.rename(99, "x"));
            assertThrows(IllegalArgumentException.class, () -> store.rename(b, " "));
        }
    }

    @Test
    void exportWritesCsvJsonAndACheckpointAndNeverOverwritesUnasked() throws Exception {
        Path out = tmp.resolve("out");
        try (RunStore store = RunStore.open(tmp.resolve("ws"))) {
            Recorded run = recordRun(store, "exported");
            store.tag(run.id(), List.of("x"));
            List<Path> files = store.export(run.id(), out, false);
            String base = "run-" + run.id();
            assertEquals(List.of(out.resolve(base + ".csv"), out.resolve(base + ".json"), out.resolve(base + "-best.npz"),
                    out.resolve(base + "-best.json")), files);
            assertEquals(run.live().toCsv(), Files.readString(out.resolve(base + ".csv")));
            JsonNode json = new ObjectMapper().readTree(out.resolve(base + ".json").toFile());
            assertEquals("exported", json.get("name").asText());
            assertEquals("finished", json.get("state").asText());
            assertEquals(20, json.get("net").get("hiddenSizes").get(0).asInt());
            assertEquals(CONFIG.learningRate(), json.get("train").get("learningRate").asDouble());
            assertEquals(run.result().bestValAccuracy(), json.get("summary").get("bestValAccuracy").asDouble());
            assertEquals(run.findings().size(), json.get("findings").size());
            assertEquals("x", json.get("tags").get(0).asText());
            assertTrue(json.get("data").get("checksum").asText().startsWith("sha256:"));
            Checkpoint.Loaded loaded = Checkpoint.load(out.resolve(base + "-best.npz"), new EjmlGemm(false));
            assertEquals(run.result().bestEpoch(), loaded.info().bestEpoch());
            for (int i = 0; i < loaded.net().params().size(); i++) {
                assertArrayEquals(run.trainer().net().params().get(i).value().data, loaded.net().params().get(i).value().data);
            }

            Files.writeString(out.resolve(base + ".csv"), "mine");
            IOException e = assertThrows(IOException.class, () -> store.export(run.id(), out, false));
            assertEquals(out.resolve(base + ".csv") + " exists: export into another folder, or replace with --overwrite",
                    e.getMessage());
            assertEquals("mine", Files.readString(out.resolve(base + ".csv")), "left as it was");
            store.export(run.id(), out, true);
            assertEquals(run.live().toCsv(), Files.readString(out.resolve(base + ".csv")));
            try (var list = Files.list(out)) {
                assertEquals(4, list.count(), "no temporary file left");
            }
        }
    }

    @Test
    void aFileThatIsNotAStoreIsRefusedInOneLine() throws Exception {
        Files.write(tmp.resolve(RunStore.FILE), "not a database at all, just text".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> RunStore.open(tmp));
        assertEquals(tmp.resolve(RunStore.FILE) + " is not a Babysitter run store (not an SQLite database)", e.getMessage());

        Path other = Files.createDirectories(tmp.resolve("other"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other.resolve(RunStore.FILE));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE mine (x INTEGER)");
        }
        e = assertThrows(IOException.class, () -> RunStore.open(other));
        assertEquals(other.resolve(RunStore.FILE) + " is not a Babysitter run store (an SQLite database with other tables)",
                e.getMessage());

        e = assertThrows(IOException.class, () -> RunStore.openExisting(tmp.resolve("none")));
        assertEquals("no run store in " + tmp.resolve("none") + " (no runs.db): record runs with train --store "
                + tmp.resolve("none"), e.getMessage());
    }

    @Test
    void aNewerSchemaIsRefused() throws Exception {
        RunStore.open(tmp).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(RunStore.FILE));
             Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = " + (RunStore.SCHEMA + 1));
        }
        IOException e = assertThrows(IOException.class, () -> RunStore.open(tmp));
        assertEquals(tmp.resolve(RunStore.FILE) + " was written by a newer Babysitter (schema " + (RunStore.SCHEMA + 1)
                + "; this one reads " + RunStore.SCHEMA + "): use that version, or another --store folder", e.getMessage());
    }

    @Test
    void aRunOfALiveOwnerStaysRunningOneOfAGoneOwnerIsInterrupted() throws Exception {
        try (RunStore owner = RunStore.open(tmp)) {
            RunRecorder recorder = owner.record(spec("live"));
            recorder.flush();
            try (RunStore other = RunStore.open(tmp)) {
                assertEquals(RunState.RUNNING, other.detail(recorder.id()).summary().state(), "its owner is open");
            }
            // a run whose owner left no lock (its process is gone)
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(RunStore.FILE));
                 Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 10000");
                st.execute("INSERT INTO runs (name, state, created, owner, data_name, data_checksum, preprocessing, net,"
                        + " net_json, train_json, rule, lr, reg, seed, epochs) SELECT 'gone', 'running', created,"
                        + " '00000000-0000-0000-0000-000000000000', data_name, data_checksum, preprocessing, net, net_json,"
                        + " train_json, rule, lr, reg, seed, epochs FROM runs WHERE id = " + recorder.id());
            }
            List<RunSummary> seen = owner.list(false);
            assertEquals(RunState.INTERRUPTED, seen.get(0).state(), "an open store's list sees it too: " + seen);
            try (RunStore other = RunStore.open(tmp)) {
                List<RunSummary> runs = other.list(false);
                assertEquals(RunState.INTERRUPTED, runs.get(0).state(), runs.toString());
                assertEquals(RunState.RUNNING, runs.get(1).state());
                assertTrue(other.detail(runs.get(0).id()).reason().startsWith("its process ended"));
            }
            recorder.close();
        }
    }

    @Test
    void filesAreHashedOnceThenTheCacheAnswers() throws Exception {
        Path f = tmp.resolve("data.bin");
        Files.write(f, new byte[] {1, 2, 3});
        try (RunStore store = RunStore.open(tmp.resolve("ws"))) {
            DataIdentity id = store.identify("data.bin", f);
            assertEquals("sha256:039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", id.checksum());
            // same size and time: the cached hash, not the bytes, answers (the file was changed behind its back)
            java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(f);
            Files.write(f, new byte[] {9, 9, 9});
            Files.setLastModifiedTime(f, t);
            assertEquals(id, store.identify("data.bin", f));
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(t.toMillis() + 5000));
            assertFalse(id.equals(store.identify("data.bin", f)), "a new time: hashed again");
            Path folder = Files.createDirectories(tmp.resolve("batches"));
            Files.write(folder.resolve("a.bin"), new byte[] {1});
            assertNotNull(store.identify("folder", folder).checksum());
        }
    }

    @Test
    void twoStoresOnOneFileRecordAtOnce() throws Exception {
        try (RunStore a = RunStore.open(tmp); RunStore b = RunStore.open(tmp)) {
            RunRecorder ra = a.record(spec("a"));
            RunRecorder rb = b.record(spec("b"));
            Thread ta = new Thread(() -> iterations(ra, 3000));
            Thread tb = new Thread(() -> iterations(rb, 3000));
            ta.start();
            tb.start();
            ta.join();
            tb.join();
            ra.close();
            rb.close();
            assertEquals(3000, b.history(ra.id()).size());
            assertEquals(3000, a.history(rb.id()).size());
            assertEquals(3000, a.detail(rb.id()).iterations());
        }
    }

    private static void iterations(RunRecorder r, int n) {
        for (int i = 1; i <= n; i++) {
            r.onIteration(new org.babysitter.engine.metrics.IterationMetrics(i, i / 100.0, 2.3, 1e-4, 1e-3, List.of(1e-3),
                    i * 1000L, 0.01));
        }
    }
}
