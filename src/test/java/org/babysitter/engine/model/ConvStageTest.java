package org.babysitter.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.loss.LossKind;
import org.junit.jupiter.api.Test;

/** The conv stages' text form, and the ConvNetJS net built from it layer by layer. */
class ConvStageTest {
    @Test
    void stagesAreReadAndWrittenInOneForm() {
        List<ConvStage> s = ConvStage.parse(" conv 5x5x16 pad 2 pool 2,conv 3x3x8 stride 2 ");
        assertEquals(List.of(new ConvStage(16, 5, 1, 2, 2), new ConvStage(8, 3, 2, 0, 0)), s);
        assertEquals("conv 5x5x16 pad 2 pool 2, conv 3x3x8 stride 2", ConvStage.format(s));
        assertEquals(s, ConvStage.parse(ConvStage.format(s)));
        assertEquals(ConvStage.CONVNETJS, ConvStage.parse("ConvNetJS"));
        assertEquals(List.of(), ConvStage.parse(" "));
    }

    @Test
    void whatCannotBeReadIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConvStage.parse("conv 5x3x16")).getMessage()
                .contains("'5x3x16' in 'conv 5x3x16' is not KxKxFILTERS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConvStage.parse("conv 5x5x16 pool")).getMessage()
                .contains("'pool' in 'conv 5x5x16 pool' needs a number after it"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConvStage.parse("conv 5x5x16 padding 2")).getMessage()
                .contains("is not stride, pad or pool"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConvStage.parse("pool 2")).getMessage()
                .contains("reads like 'conv 5x5x16 pad 2 pool 2'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConvStage.parse("conv 5x5xq")).getMessage()
                .contains("'q' in 'conv 5x5xq' is not a whole number"));
    }

    @Test
    void aNetWhoseStagesDoNotTileItsImageIsRefusedWithTheStage() {
        var e = assertThrows(IllegalArgumentException.class, () -> NetConfig.convnetjs(3072, 10)
                .withConv(ConvStage.parse("conv 5x5x16 stride 2")));
        assertTrue(e.getMessage().startsWith("'conv 5x5x16 stride 2' over 3x32x32: "), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NetConfig.convnetjs(3000, 10)).getMessage()
                .contains("square RGB images"));
    }

    @Test
    void theConvNetJsNetIsItsLayersInOrder() {
        NetConfig c = NetConfig.convnetjs(3072, 10);
        Net net = c.build(new EjmlGemm(false), 1);
        List<String> layers = net.layers().stream().map(Layer::describe).toList();
        assertEquals(List.of(
                "conv 5x5x16 pad 2: 3x32x32 -> 16x32x32", "relu", "max pool 2x2: 16x32x32 -> 16x16x16",
                "conv 5x5x20 pad 2: 16x16x16 -> 20x16x16", "relu", "max pool 2x2: 20x16x16 -> 20x8x8",
                "conv 5x5x20 pad 2: 20x8x8 -> 20x8x8", "relu", "max pool 2x2: 20x8x8 -> 20x4x4",
                "affine 320 -> 10"), layers);
        // ConvNetJS's count: 1216 + 8020 + 10020 + 3210
        assertEquals(1216 + 8020 + 10020 + 3210, c.parameterCount());
        assertEquals(c.parameterCount(), net.params().stream().mapToLong(Param::size).sum());
        assertEquals("3x32x32-conv 5x5x16 pad 2 pool 2-conv 5x5x20 pad 2 pool 2-conv 5x5x20 pad 2 pool 2-10 ReLU, He, softmax",
                c.describe());
        assertEquals(LossKind.SOFTMAX, c.loss());
    }

    @Test
    void batchNormLeavesOutTheConvBiasAndCountsGammaAndBeta() {
        NetConfig c = NetConfig.convnetjs(3072, 10).withBatchNorm(true);
        Net net = c.build(new EjmlGemm(false), 1);
        assertEquals(c.parameterCount(), net.params().stream().mapToLong(Param::size).sum());
        assertTrue(net.layers().get(1).describe().startsWith("spatial batch norm 16x32x32"), net.layers().get(1).describe());
    }
}
