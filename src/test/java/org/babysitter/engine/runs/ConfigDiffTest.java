package org.babysitter.engine.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.train.TrainConfig;
import org.junit.jupiter.api.Test;

/** Only the settings that tell the compared runs apart, in words. */
class ConfigDiffTest {
    private static ConfigDiff.Config config(double lr, double reg, long seed) {
        return new ConfigDiff.Config(NetConfig.lecture(), TrainConfig.defaults().withLearningRate(lr).withReg(reg).withSeed(seed),
                "built-in", "mean image");
    }

    @Test
    void onlyTheLrDiffersWhenTheRegIsTheSame() {
        ConfigDiff d = new ConfigDiff(List.of(config(1e-3, 0.5, 1), config(1e-4, 0.5, 1)));
        assertEquals(List.of("lr"), d.differing());
        assertEquals("lr 1e-3", d.describe(0));
        assertEquals("lr 1e-4", d.describe(1));
        assertEquals("0.5", d.value(1, "reg"));
    }

    @Test
    void severalDifferencesInReadingOrder() {
        ConfigDiff.Config a = config(1e-3, 0.5, 1);
        ConfigDiff.Config b = new ConfigDiff.Config(NetConfig.lecture().withHidden(List.of(100, 50)).withDropout(0.25),
                TrainConfig.defaults().withLearningRate(1e-3).withReg(0.1).withSeed(1).withBatchSize(64), "built-in", "mean image");
        ConfigDiff d = new ConfigDiff(List.of(a, b));
        assertEquals(List.of("net", "reg", "batch", "dropout"), d.differing());
        assertEquals("net 3072-100-50-10, reg 0.1, batch 64, dropout 0.25", d.describe(1));
        assertEquals("net 3072-50-10, reg 0.5, batch " + TrainConfig.defaults().batchSize() + ", dropout 0", d.describe(0));
    }

    @Test
    void onlyTheSeedOrNothing() {
        ConfigDiff seeds = new ConfigDiff(List.of(config(1e-3, 0.5, 1), config(1e-3, 0.5, 2)));
        assertEquals("same config, seed 2", seeds.describe(1));
        ConfigDiff same = new ConfigDiff(List.of(config(1e-3, 0.5, 1), config(1e-3, 0.5, 1)));
        assertEquals(List.of(), same.differing());
        assertEquals("same config", same.describe(0));
    }

    @Test
    void aRunAloneIsItsLrAndRegAndDataAndPreprocessingCount() {
        assertEquals("lr 1e-3, reg 0.5", new ConfigDiff(List.of(config(1e-3, 0.5, 1))).describe(0));
        ConfigDiff data = new ConfigDiff(List.of(config(1e-3, 0.5, 1),
                new ConfigDiff.Config(NetConfig.lecture(), config(1e-3, 0.5, 1).train(), "cifar-10", "none")));
        assertEquals(List.of("data", "preprocessing"), data.differing());
        assertEquals("data cifar-10, preprocessing none", data.describe(1));
        assertThrows(IllegalArgumentException.class, () -> new ConfigDiff(List.of()));
        assertThrows(IllegalArgumentException.class, () -> data.value(0, "colour"));
    }
}
