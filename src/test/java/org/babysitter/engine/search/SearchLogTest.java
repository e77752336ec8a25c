package org.babysitter.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search recorded with its base configs: planned again the same, listed, and its trials' runs and losses found. */
class SearchLogTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        SearchRunnerTest.load();
    }

    @Test
    void aSearchWithABaseIsPlannedAgainTheSameAfterReopening() throws Exception {
        SearchSpec s = new SearchSpec(SearchSpec.Strategy.GRID, Map.of(Hyper.LR, Dimension.log(1e-5, 1e-3),
                Hyper.HIDDEN, Dimension.choice(List.of(20.0, 40.0))), List.of(UpdateRuleKind.SGD, UpdateRuleKind.ADAM), 8, 1, 0, 7,
                PrunerSpec.NONE);
        NetConfig net = NetConfig.lecture().withActivation(Activation.TANH).withDropout(0.25);
        TrainConfig train = TrainConfig.defaults().withReg(0.125).withBatchSize(64);
        Hyper.Configs base = new Hyper.Configs(net, train);
        try (RunStore store = RunStore.open(tmp)) {
            SearchLog.create(store, SearchSpec.lectureCoarse(3, 1, 0, 0), SearchRunnerTest.identity, "mean image");
            SearchLog log = SearchLog.create(store, s, base, SearchRunnerTest.identity, "mean image");
            assertEquals("s2", log.id());
            assertEquals(List.of("s1", "s2"), SearchLog.ids(store));
        }
        try (RunStore store = RunStore.open(tmp)) {
            SearchLog log = SearchLog.reopen(store, "s2", "mean image");
            assertEquals(base, log.base());
            assertNull(SearchLog.reopen(store, "s1", "mean image").base(), "a CLI search has no base");
            List<Trial> planned = log.plan(300, 5);
            assertEquals(8, planned.size(), "2 lr x 2 hidden x 2 rules");
            for (Trial t : planned) {
                assertEquals(Activation.TANH, t.net().activation(), "not ranged: the base's");
                assertEquals(0.25, t.net().dropout());
                assertEquals(0.125, t.train().reg());
                assertEquals(64, t.train().batchSize());
                assertEquals(300, t.net().inputSize());
                assertEquals(7 + t.index(), t.train().seed());
            }
            assertEquals(List.of(20, 20, 40, 40, 20, 20, 40, 40), planned.stream().map(t -> t.net().hiddenSizes().get(0)).toList());
            assertEquals(List.of(UpdateRuleKind.SGD, UpdateRuleKind.ADAM), planned.subList(0, 2).stream()
                    .map(t -> t.train().updateRule()).toList());
            assertEquals(planned, log.plan(300, 5), "the same trials every time");
        }
    }

    @Test
    void aTrialsRunAndLossesAreFoundByItsIndex() throws Exception {
        SearchSpec s = SearchRunnerTest.spec(4, 1, Map.of(Hyper.LR, Dimension.log(1e-5, 1e-3)));
        try (RunStore store = RunStore.open(tmp)) {
            SearchLog log = SearchLog.create(store, s, SearchRunnerTest.identity, "mean image");
            List<Trial> planned = SearchRunnerTest.trials(s);
            // two of four trials run: a half-finished search
            SearchRunner r = new SearchRunner(planned.subList(0, 2), List.of(), log, SearchRunnerTest.data, new EjmlGemm(false),
                    Pruner.none(), 1, e -> { });
            r.start();
            r.await();
            assertEquals(2, log.finished(planned).size());
            assertTrue(log.runOf(0).isPresent() && log.runOf(1).isPresent());
            assertTrue(log.runOf(2).isEmpty(), "never started");
            long second = log.runOf(1).getAsLong();
            assertTrue(store.list(false).stream().filter(x -> x.id() == second)
                    .allMatch(x -> x.tags().containsAll(List.of("search:s1", "trial:2"))));
            List<Double> losses = log.losses(0);
            assertEquals(store.history(log.runOf(0).getAsLong()).iterations().size(), losses.size());
            assertTrue(losses.size() > 1 && losses.stream().allMatch(Double::isFinite), losses.toString());
            assertEquals(List.of(), log.losses(3));
        }
    }
}
