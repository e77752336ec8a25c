package org.babysitter.engine.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.TrainConfig;
import org.junit.jupiter.api.Test;

class LearningRateSweepTest {
    @Test
    void decadesFromOneRateToAnother() {
        assertEquals(List.of(1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1.0), LearningRateSweep.decades(1e-7, 1));
        assertEquals(List.of(1e-3), LearningRateSweep.decades(1e-3, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSweep.decades(1e-2, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSweep.decades(0, 1));
    }

    @Test
    void aPointIsTooLowWithinOnePercentGoodWhenItFallsAndTooHighWhenItRisesOrDiverges() {
        List<Double> flat = java.util.Collections.nCopies(30, 2.3026);
        assertEquals(LearningRateSweep.Verdict.TOO_LOW, LearningRateSweep.point(1e-7, flat, false).verdict());
        List<Double> falling = java.util.stream.IntStream.range(0, 30).mapToObj(i -> 2.3 - 0.02 * i).toList();
        assertEquals(LearningRateSweep.Verdict.GOOD, LearningRateSweep.point(1e-4, falling, false).verdict());
        List<Double> rising = java.util.stream.IntStream.range(0, 30).mapToObj(i -> 2.3 + 0.02 * i).toList();
        assertEquals(LearningRateSweep.Verdict.TOO_HIGH, LearningRateSweep.point(1e-3, rising, false).verdict());
        LearningRateSweep.Point exploded = LearningRateSweep.point(1, List.of(2.3026, 50.0, 9e9), true);
        assertEquals(LearningRateSweep.Verdict.TOO_HIGH, exploded.verdict());
        assertEquals(2.3026, exploded.firstLoss(), "a diverged run starts at its first loss");
        assertTrue(exploded.line().contains("diverged at iteration 3"), exploded.line());
    }

    @Test
    void onBuiltInDataTheLecturesThreePicturesAndTheGoodRateSuggested() {
        PreparedData data = PreparedData.prepare(BuiltInData.generate(3000, 100, 1), new SplitSpec(100, 0, 0),
                Preprocessing.MEAN_IMAGE);
        NetConfig net = NetConfig.twoLayer(3072, 20, 10);
        LearningRateSweep.Result r = LearningRateSweep.run(net, data.dataset(), data.preprocessor(), TrainConfig.defaults(),
                new EjmlGemm(false), List.of(1e-7, 1e-4, 1.0), 60, Progress.NONE);
        assertEquals(List.of(LearningRateSweep.Verdict.TOO_LOW, LearningRateSweep.Verdict.GOOD, LearningRateSweep.Verdict.TOO_HIGH),
                r.points().stream().map(LearningRateSweep.Point::verdict).toList(), r.points().toString());
        assertEquals(60, r.points().get(0).iterations(), "each run is as long as asked, over epoch boundaries too");
        assertTrue(r.points().get(2).diverged());
        assertEquals(1e-4, r.suggested());
        assertTrue(r.suggestion().startsWith("Suggested learning rate: 1e-4"), r.suggestion());
    }
}
