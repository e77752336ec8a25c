package org.babysitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.Test;

/** The memory estimate: what it counts, and the sizes it refuses before anything is allocated. */
class MemoryBudgetTest {
    private static final long MB = 1 << 20;

    @Test
    void parametersCountValuesGradientsTheBestCopyAndTheRulesState() {
        NetConfig net = NetConfig.lecture();
        long p = net.parameterCount();
        assertEquals(3072 * 50 + 50 + 50 * 10 + 10, p);
        // doubles: value, gradient, best copy (24 bytes) plus the rule's arrays
        assertEquals(p * 24, MemoryBudget.of(net, TrainConfig.defaults().withUpdateRule(UpdateRuleKind.SGD), 100, false).parameters());
        assertEquals(p * 32, MemoryBudget.of(net, TrainConfig.defaults(), 100, false).parameters());
        assertEquals(p * 40, MemoryBudget.of(net, TrainConfig.defaults().withUpdateRule(UpdateRuleKind.ADAM), 100, false).parameters());
        // float copies of value and gradient, the rule's state in float
        assertEquals(p * 36, MemoryBudget.of(net, TrainConfig.defaults(), 100, true).parameters());
    }

    @Test
    void aConvNetsColumnsAreCountedInFloatWithFloatCopies() {
        // ConvNetJS's net keeps 211,200 im2col values per example (75 x 1024 + 400 x 256 + 500 x 64) for backward, in
        // float with float copies: its steps at batch 100 ran in a 350 MB heap (and not before the columns were float only)
        NetConfig net = NetConfig.convnetjs(3072, 10);
        long columns = 100L * (75 * 1024 + 400 * 256 + 500 * 64) * 4;
        long inFloat = MemoryBudget.of(net, TrainConfig.defaults(), 100, true).buffers();
        long inDouble = MemoryBudget.of(net, TrainConfig.defaults(), 100, false).buffers();
        assertTrue(inFloat > columns, inFloat / MB + " MB");
        assertTrue(inFloat < 350 * MB, inFloat / MB + " MB");
        assertTrue(inDouble > inFloat + columns / 2, inDouble / MB + " MB in double against " + inFloat / MB);
    }

    @Test
    void theMeasuredSizesAreToldApart() {
        // H=500 on all of CIFAR-10 (185 MB of images): ran in 310 MB of heap, not in 300
        NetConfig h500 = NetConfig.lecture().withHidden(List.of(500));
        MemoryBudget b = MemoryBudget.of(h500, TrainConfig.defaults(), 100, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryBudget.checkWithData(h500, b, 185 * MB, 300 * MB));
        assertTrue(e.getMessage().startsWith("training the 3072-500-10 net needs about "), e.getMessage());
        assertTrue(e.getMessage().contains("beside the 185 MB the images take, and this JVM may use 300 MB: give java more"
                + " memory (java -Xmx"), e.getMessage());
        MemoryBudget.checkWithData(h500, b, 185 * MB, 310 * MB);
    }

    @Test
    void anImpossibleNetIsRefusedBeforeTheImagesAreRead() {
        NetConfig huge = NetConfig.lecture().withHidden(List.of(100_000));
        TrainConfig momentum = TrainConfig.defaults();
        MemoryBudget b = MemoryBudget.of(huge, momentum, 100, true);
        assertTrue(b.parameters() > 10_000 * MB, "308 million parameters at 36 bytes: " + b.parameters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryBudget.checkBeforeData(huge, momentum, b, 2048 * MB));
        assertTrue(e.getMessage().startsWith("a 3072-100000-10 net (308,300,010 parameters) needs about "), e.getMessage());
        assertTrue(e.getMessage().contains("more than the 2.0 GB this JVM may use: use fewer hidden units (--hidden), or give"
                + " java more memory (java -Xmx"), e.getMessage());
        MemoryBudget.checkBeforeData(NetConfig.lecture(), momentum, MemoryBudget.of(NetConfig.lecture(), momentum, 100, true), 2048 * MB);
    }

    @Test
    void outOfMemorySaysWhatWasBeingDoneAndWhatToChange() {
        assertEquals("out of memory while training (this JVM may use 300 MB): give java more memory (java -Xmx900m -jar ...),"
                + " or use fewer hidden units (--hidden), a smaller --batch-size or a --subset",
                MemoryBudget.outOfMemory("training", 300 * MB, false));
        assertEquals("out of memory while loading the images (this JVM may use 60 MB): give java more memory (java -Xmx200m"
                + " -jar ...); the images take 3,073 bytes each, 184 MB for all of CIFAR-10",
                MemoryBudget.outOfMemory("loading the images", 60 * MB, true));
        assertEquals("12g", MemoryBudget.suggestedHeap(8L * 1024 * MB));
    }
}
