package org.babysitter.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.train.TrainerControls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trials on small built-in data: how they end, and the runner's order, cancel, pause and reproducibility. */
class SearchRunnerTest {
    static PreparedData data;
    static DataIdentity identity;

    @BeforeAll
    static void load() {
        data = PreparedData.prepare(BuiltInData.generate(1200, 100, 5), new SplitSpec(200, 0, 0), Preprocessing.MEAN_IMAGE);
        identity = DataIdentity.ofImages(data.dataset());
    }

    static List<Trial> trials(SearchSpec s) {
        return s.trials(data.preprocessor().features(), data.dataset().classCount(), identity);
    }

    static SearchSpec spec(int trials, int epochs, Map<Hyper, Dimension> ranges) {
        return new SearchSpec(SearchSpec.Strategy.RANDOM, ranges, List.of(), trials, epochs, 0, 3, PrunerSpec.NONE);
    }

    @Test
    void aTrialIsDoneDivergedOrPrunedAndSaysWhy() {
        Trial good = trials(spec(1, 2, Map.of(Hyper.LR, Dimension.fixed(1e-4), Hyper.REG, Dimension.fixed(1e-3)))).get(0);
        TrialResult done = Trial.run(good, data, new EjmlGemm(false), Pruner.none(), new TrainerControls());
        assertEquals(TrialState.DONE, done.state(), String.valueOf(done.reason()));
        assertEquals(2, done.valAccuracies().size());
        assertTrue(done.best() > 0.1, "learns something: " + done.best());

        Trial huge = trials(spec(1, 2, Map.of(Hyper.LR, Dimension.fixed(10), Hyper.REG, Dimension.fixed(1e-3)))).get(0);
        TrialResult diverged = Trial.run(huge, data, new EjmlGemm(false), Pruner.none(), new TrainerControls());
        assertEquals(TrialState.DIVERGED, diverged.state());
        assertTrue(diverged.reason().startsWith("epoch 1: "), diverged.reason());

        Pruner always = (t, epoch, epochs, val) -> "epoch " + epoch + ": told to stop";
        Trial longer = trials(spec(1, 3, Map.of(Hyper.LR, Dimension.fixed(1e-4)))).get(0);
        TrialResult pruned = Trial.run(longer, data, new EjmlGemm(false), always, new TrainerControls());
        assertEquals(TrialState.PRUNED, pruned.state());
        assertEquals("epoch 1: told to stop", pruned.reason());
        assertEquals(1, pruned.valAccuracies().size(), "stopped within the epoch after the pruner's answer");
    }

    @Test
    void oneAtATimeTheSameSpecGivesTheSameResults() throws Exception {
        SearchSpec s = spec(4, 1, Map.of(Hyper.LR, Dimension.log(1e-5, 1e-3), Hyper.REG, Dimension.log(1e-4, 1)));
        List<List<Double>> first = curves(run(s, 1));
        List<List<Double>> again = curves(run(s, 1));
        assertEquals(first, again);
        assertEquals(4, first.size());
    }

    @Test
    void cancelKeepsTheFinishedTrialsAndStartsNoMore() throws Exception {
        SearchSpec s = spec(12, 2, Map.of(Hyper.LR, Dimension.log(1e-5, 1e-3)));
        List<SearchEvent> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch twoDone = new CountDownLatch(2);
        SearchRunner runner = new SearchRunner(trials(s), data, new EjmlGemm(false), Pruner.none(), 2, e -> {
            events.add(e);
            if (e instanceof SearchEvent.TrialFinished) {
                twoDone.countDown();
            }
        });
        runner.start();
        assertTrue(twoDone.await(60, TimeUnit.SECONDS));
        runner.cancel();
        List<TrialResult> results = runner.await();
        assertTrue(results.size() >= 2 && results.size() < 12, "some finished, not all: " + results.size());
        assertTrue(results.stream().filter(r -> r.state() == TrialState.DONE).count() >= 2);
        assertTrue(results.stream().allMatch(r -> r.state() == TrialState.DONE || r.state() == TrialState.CANCELLED));
        SearchEvent last = events.get(events.size() - 1);
        assertTrue(last instanceof SearchEvent.SearchEnded end && end.cancelled() && end.results().equals(results), last.toString());
        long started = events.stream().filter(e -> e instanceof SearchEvent.TrialStarted).count();
        assertEquals(results.size(), started, "every started trial reports how it ended");
    }

    @Test
    void pauseHoldsTheTrialsAndResumeFinishesThem() throws Exception {
        SearchSpec s = spec(3, 1, Map.of(Hyper.LR, Dimension.log(1e-5, 1e-3)));
        CountDownLatch started = new CountDownLatch(1);
        SearchRunner runner = new SearchRunner(trials(s), data, new EjmlGemm(false), Pruner.none(), 1, e -> {
            if (e instanceof SearchEvent.TrialStarted) {
                started.countDown();
            }
        });
        runner.pause();
        runner.start();
        Thread.sleep(300);
        assertEquals(List.of(), runner.results(), "paused before the first trial began: none finishes");
        assertTrue(runner.isPaused());
        runner.resume();
        assertTrue(started.await(30, TimeUnit.SECONDS));
        List<TrialResult> results = runner.await();
        assertEquals(3, results.size());
        assertTrue(results.stream().allMatch(r -> r.state() == TrialState.DONE));
        assertFalse(runner.isPaused());
        assertEquals(List.of(0, 1, 2), results.stream().map(r -> r.trial().index()).toList(), "one at a time: in order");
    }

    @Test
    void aRecordedSearchCancelledHalfwayResumesWithTheUnfinishedTrialsOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        SearchSpec s = spec(6, 1, Map.of(Hyper.LR, Dimension.log(1e-5, 1e-3)));
        List<Trial> planned = trials(s);
        List<TrialResult> first;
        try (org.babysitter.engine.runs.RunStore store = org.babysitter.engine.runs.RunStore.open(tmp)) {
            SearchLog log = SearchLog.create(store, s, identity, "mean image");
            assertEquals("s1", log.id());
            CountDownLatch twoDone = new CountDownLatch(2);
            SearchRunner runner = new SearchRunner(planned, List.of(), log, data, new EjmlGemm(false), Pruner.none(), 1, e -> {
                if (e instanceof SearchEvent.TrialFinished) {
                    twoDone.countDown();
                }
            });
            runner.start();
            assertTrue(twoDone.await(60, TimeUnit.SECONDS));
            runner.cancel();
            first = runner.await();
        }
        List<TrialResult> kept = first.stream().filter(r -> r.state() == TrialState.DONE).toList();
        assertTrue(kept.size() >= 2 && kept.size() < 6, first.toString());
        try (org.babysitter.engine.runs.RunStore store = org.babysitter.engine.runs.RunStore.open(tmp)) {
            SearchLog log = SearchLog.reopen(store, "s1", "mean image");
            assertEquals(s, log.spec());
            assertEquals(identity, log.data());
            List<TrialResult> earlier = log.finished(planned);
            assertEquals(kept, earlier, "the finished trials come back as they were; the cancelled one runs again");
            SearchRunner again = new SearchRunner(planned, earlier, log, data, new EjmlGemm(false), Pruner.none(), 1, e -> { });
            again.start();
            List<TrialResult> all = again.await();
            assertEquals(List.of(0, 1, 2, 3, 4, 5), all.stream().map(r -> r.trial().index()).sorted().toList());
            assertTrue(all.stream().allMatch(r -> r.state() == TrialState.DONE));
            // one at a time, a resumed search's results are those of a search run in one go
            assertEquals(curves(run(s, 1)), all.stream().sorted(java.util.Comparator.comparingInt(r -> r.trial().index()))
                    .map(TrialResult::valAccuracies).toList());
            assertEquals(6, log.finished(planned).size());
        }
    }

    @Test
    void aTrialListenerHearsEveryIterationOfItsOwnTrial() throws Exception {
        SearchSpec s = spec(3, 1, Map.of(Hyper.LR, Dimension.log(1e-5, 1e-3)));
        java.util.Map<Integer, java.util.List<Double>> losses = new java.util.concurrent.ConcurrentHashMap<>();
        SearchRunner r = new SearchRunner(trials(s), data, new EjmlGemm(false), s.pruner().create(), 2, e -> { });
        r.listenToTrials(t -> new org.babysitter.engine.metrics.TrainingListener() {
            @Override
            public void onIteration(org.babysitter.engine.metrics.IterationMetrics m) {
                losses.computeIfAbsent(t.index(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(m.loss());
                assertEquals(t.train().learningRate(), m.learningRate(), 1e-12, "the listener is its own trial's");
            }
        });
        r.start();
        List<TrialResult> results = r.await();
        assertEquals(3, losses.size());
        int iterations = losses.get(0).size();
        org.junit.jupiter.api.Assertions.assertTrue(iterations > 1, "a loss per iteration: " + iterations);
        for (TrialResult res : results) {
            assertEquals(iterations, losses.get(res.trial().index()).size(), "the same epoch, the same iterations");
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> r.listenToTrials(t -> null),
                "a listener comes before the start");
    }

    static List<TrialResult> run(SearchSpec s, int jobs) throws InterruptedException {
        SearchRunner r = new SearchRunner(trials(s), data, new EjmlGemm(false), s.pruner().create(), jobs, e -> { });
        r.start();
        return r.await();
    }

    static List<List<Double>> curves(List<TrialResult> results) {
        return results.stream().map(TrialResult::valAccuracies).toList();
    }
}
