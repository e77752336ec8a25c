package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.Test;

/**
 * A batch larger than a full batch's chunk (1,000 images) is still the batch asked for: sampled or shuffled, one pass
 * over its images; only full batching goes through the whole set, chunk by chunk.
 */
class LargeBatchTest {
    private static final PreparedData DATA = PreparedData.prepare(BuiltInData.generate(3100, 0, 9),
            new SplitSpec(100, 0, 0), Preprocessing.MEAN_IMAGE);

    private static List<Double> losses(Batching batching, int batch) {
        TrainConfig config = new TrainConfig(UpdateRuleKind.SGD, 1e-3, 0, 1, 0, batch, 1, batching, 4, 100);
        Trainer t = Trainer.create(NetConfig.lecture().withHidden(List.of(10)).withShape(3072, 10), DATA.dataset(),
                DATA.preprocessor(), config, new EjmlGemm(false));
        List<Double> losses = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                losses.add(m.loss());
            }
        });
        t.run();
        return losses;
    }

    @Test
    void sampledAndShuffledBatchesOfMoreThanAChunkAreTheirOwnBatches() {
        List<Double> full = losses(Batching.FULL, 1500);
        List<Double> sampled = losses(Batching.SAMPLED, 1500);
        List<Double> shuffled = losses(Batching.SHUFFLED, 1500);
        assertEquals(1, full.size(), "a full batch is one step per epoch");
        assertEquals(2, sampled.size(), "3,000 images in batches of 1,500: two steps");
        assertEquals(2, shuffled.size());
        // the same net at its first step: each loss is over the images that step saw
        assertNotEquals(full.get(0), sampled.get(0), "a sampled batch is not the whole set");
        assertNotEquals(full.get(0), shuffled.get(0), "a shuffled batch is not the whole set");
        assertNotEquals(sampled.get(0), shuffled.get(0));
    }
}
