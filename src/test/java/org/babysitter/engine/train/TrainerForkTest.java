package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run's state taken between two iterations and gone on from: with the same controls the run continued is the
 * original, bit for bit (values, rule state, batches, dropout masks, best epoch); with a new learning rate it is a
 * fork from that point, its change reported at the fork's iteration.
 */
@Timeout(120)
class TrainerForkTest {
    /** Dropout, batch norm, Adam's moments, shuffled batches, decay: every piece of state a fork must carry. */
    private static final NetConfig NET = TrainerTest.NET.withDropout(0.3).withBatchNorm(true);
    private static final TrainConfig CONFIG = new TrainConfig(UpdateRuleKind.ADAM, 1e-3, 0.9, 0.9, 1e-3, 50, 3,
            Batching.SHUFFLED, 11, 200);
    /** 1,000 images / 50 = 20 iterations an epoch: 30 is mid-epoch, after one epoch's best values were kept. */
    private static final int AT = 30;

    @BeforeAll
    static void load() {
        TrainerTest.load();
    }

    private static Trainer fromState(TrainerState s, TrainerControls controls) {
        return Trainer.from(s, NET, TrainerTest.data.dataset(), TrainerTest.data.preprocessor(), new EjmlGemm(false), controls);
    }

    /** Runs the original to {@link #AT}, takes its state there (paused) and stops it. */
    private static TrainerState stateAt(TrainerTest.Recorder seen) throws Exception {
        Trainer t = TrainerTest.trainer(NET, CONFIG);
        t.addListener(seen);
        t.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (m.iteration() == AT) {
                    t.controls().pause();
                }
            }
        });
        Thread thread = new Thread(t::run);
        thread.start();
        while (!t.controls().isPaused()) {
            Thread.sleep(5);
        }
        TrainerState s = t.controls().askState().get(30, TimeUnit.SECONDS);
        t.controls().stop();
        thread.join();
        return s;
    }

    @Test
    void theOriginalContinuedFromItsStateIsTheSameRunBitForBit() throws Exception {
        TrainerTest.Recorder whole = new TrainerTest.Recorder();
        Trainer plain = TrainerTest.trainer(NET, CONFIG);
        plain.addListener(whole);
        TrainResult expected = plain.run();

        TrainerTest.Recorder before = new TrainerTest.Recorder();
        TrainerState s = stateAt(before);
        assertEquals(AT, s.iteration());
        assertEquals(1, s.epochsDone());
        assertArrayEquals(Arrays.copyOf(whole.losses(), AT), before.losses(), "the original up to the fork");

        for (int again = 0; again < 2; again++) { // one state starts several runs
            TrainerTest.Recorder after = new TrainerTest.Recorder();
            Trainer continued = fromState(s, new TrainerControls());
            continued.addListener(after);
            TrainResult r = continued.run();
            RunEvent.Started started = (RunEvent.Started) after.events.get(0);
            assertEquals(AT, started.iteration(), "reports start after the state's iteration");
            assertEquals(AT + 1, after.iterations.get(0).iteration());
            assertArrayEquals(Arrays.copyOfRange(whole.losses(), AT, whole.losses().length), after.losses(),
                    "same batches, masks, moments and values: the same losses");
            assertEquals(expected.bestValAccuracy(), r.bestValAccuracy());
            assertEquals(expected.bestEpoch(), r.bestEpoch());
            assertEquals(expected.epochs().size(), r.epochs().size(), "the epochs before the fork are the run's too");
            assertEquals(expected.epochs().get(2).valAccuracy(), r.epochs().get(2).valAccuracy());
            assertEquals(expected.iterations(), r.iterations());
        }
    }

    @Test
    void aForkWithANewLearningRateChangesAtTheForkAndOnlyAfterIt() throws Exception {
        TrainerState s = stateAt(new TrainerTest.Recorder());
        TrainerControls controls = new TrainerControls();
        controls.setLearningRate(s.learningRate() / 10);
        TrainerTest.Recorder fork = new TrainerTest.Recorder();
        Trainer t = fromState(s, controls);
        t.addListener(fork);
        t.run();
        RunEvent.ControlChanged change = fork.events.stream().filter(RunEvent.ControlChanged.class::isInstance)
                .map(RunEvent.ControlChanged.class::cast).findFirst().orElseThrow();
        assertEquals(AT, change.iteration(), "the change is drawn at the fork's iteration");
        assertEquals(s.learningRate(), change.from());
        assertEquals(s.learningRate() / 10, fork.iterations.get(0).learningRate());

        TrainerTest.Recorder same = new TrainerTest.Recorder();
        Trainer continued = fromState(s, new TrainerControls());
        continued.addListener(same);
        continued.run();
        assertEquals(same.losses()[0], fork.losses()[0], "the first iteration's loss is of the values before its step");
        assertNotEquals(same.losses()[5], fork.losses()[5], "then the fork's smaller steps differ");
    }

    @Test
    void aStateAskedWhileRunningIsTakenBeforeTheNextIteration() throws Exception {
        Trainer t = TrainerTest.trainer(NET, CONFIG);
        CompletableFuture<TrainerState>[] asked = new CompletableFuture[1];
        t.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (m.iteration() == 7) {
                    asked[0] = t.controls().askState();
                }
            }
        });
        t.run();
        assertEquals(7, asked[0].get(1, TimeUnit.SECONDS).iteration());
        CompletableFuture<TrainerState> late = t.controls().askState();
        assertTrue(late.isCancelled(), "asked after the run ended: cancelled at once, never left waiting");
    }

    @Test
    void aStateGoesOnOnlyWithItsConfigAndData() throws Exception {
        TrainerState s = stateAt(new TrainerTest.Recorder());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(
                NET.build(new EjmlGemm(false), 11), TrainerTest.data.dataset(), TrainerTest.data.preprocessor(),
                CONFIG.withEpochs(5), new TrainerControls(), s));
        assertTrue(e.getMessage().contains("config"), e.getMessage());
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class, () -> Trainer.from(s,
                NET.withHidden(List.of(21)), TrainerTest.data.dataset(), TrainerTest.data.preprocessor(), new EjmlGemm(false),
                new TrainerControls()).run());
        assertTrue(shapes.getMessage().contains("same layers and shapes"), shapes.getMessage());
    }
}
