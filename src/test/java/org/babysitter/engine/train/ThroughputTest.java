package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.junit.jupiter.api.Test;

/** The throughput measurements: as many samples as asked, their median, and windows that end with the run. */
class ThroughputTest {
    @Test
    void theMedianOfOddAndEvenCountsAndOfNone() {
        Throughput.Result odd = Throughput.Result.of(List.of(3.0, 1.0, 2.0));
        assertEquals(2.0, odd.median());
        assertArrayEquals(new double[] {3, 1, 2}, odd.samples(), 0, "samples kept in their order");
        assertEquals(2.5, Throughput.Result.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
        assertEquals(7.0, Throughput.Result.of(List.of(7.0)).median());
        assertTrue(Double.isNaN(Throughput.Result.of(List.of()).median()));
    }

    @Test
    void trainingAndEvaluationGiveOneRatePerWindowOrRepeat() {
        PreparedData data = PreparedData.prepare(BuiltInData.generate(140, 30, 1), new SplitSpec(20, 0, 0),
                Preprocessing.MEAN_IMAGE);
        NetConfig net = NetConfig.lecture().withHidden(List.of(4));
        EjmlGemm gemm = new EjmlGemm(false);
        // 120 images in batches of 10: 12 iterations per epoch; windows of 3 after 2 warm-up iterations
        TrainConfig config = TrainConfig.defaults().withBatchSize(10);
        long start = System.nanoTime();
        Throughput.Result training = Throughput.training(net, data.dataset(), data.preprocessor(), config, gemm, 2, 3, 4);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(4, training.samples().length);
        for (double rate : training.samples()) {
            // each window's 30 images took at most the whole call's time
            assertTrue(rate >= 30 / seconds && rate < 1e9, "rate " + rate + ", the call took " + seconds + " s");
        }
        double[] sorted = training.samples().clone();
        java.util.Arrays.sort(sorted);
        assertEquals((sorted[1] + sorted[2]) / 2, training.median());

        start = System.nanoTime();
        Throughput.Result evaluation = Throughput.evaluation(net.build(gemm, 0), data.dataset(), data.preprocessor(), 1, 3);
        seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(3, evaluation.samples().length);
        for (double rate : evaluation.samples()) {
            assertTrue(rate >= 30 / seconds && rate < 1e9, "rate " + rate + ", the call took " + seconds + " s");
        }
        // without a test set the validation set is timed
        PreparedData noTest = PreparedData.prepare(BuiltInData.generate(140, 0, 1), new SplitSpec(20, 0, 0),
                Preprocessing.MEAN_IMAGE);
        start = System.nanoTime();
        Throughput.Result onVal = Throughput.evaluation(net.build(gemm, 0), noTest.dataset(), noTest.preprocessor(), 0, 2);
        seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(2, onVal.samples().length);
        for (double rate : onVal.samples()) {
            assertTrue(rate >= 20 / seconds && rate < 1e9, "rate " + rate + ", the call took " + seconds + " s");
        }
    }
}
