package org.babysitter.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.model.ConvStage;
import org.babysitter.engine.model.NetConfig;
import org.junit.jupiter.api.Test;

/** The layer list without a window: its rows and shapes, its edits written to the fields' properties and back. */
class NetLayersViewModelTest {
    private final ConfigViewModel config = new ConfigViewModel();
    private final NetLayersViewModel layers = config.layers();

    private List<String> rows() {
        return layers.rows().stream().map(r -> r.layer() + " -> " + r.output() + " [" + r.item() + "]").toList();
    }

    @Test
    void theLecturesNetIsFiveRows() {
        assertEquals(List.of("input -> 3072 [-1]", "affine 50 -> 50 [0]", "ReLU -> 50 [0]", "affine 10 (scores) -> 10 [-1]",
                "softmax loss -> 1 [-1]"), rows());
        assertEquals("", layers.problemProperty().get());
        assertNull(layers.selectedItemProperty().get());
    }

    @Test
    void convNetJsIsBuiltByAddingAndEditingItsStagesAndTheFieldsFollow() {
        layers.selectedProperty().set(0);
        layers.removeSelected(); // the lecture's hidden layer
        assertEquals("a net needs at least one conv stage or hidden layer: add one", layers.problemProperty().get());
        layers.addConvStage(); // ConvNetJS's first
        layers.addConvStage(); // a copy of the selected one, after it
        layers.editStage(s -> new ConvStage(20, s.kernel(), s.stride(), s.pad(), s.pool()));
        layers.addConvStage();
        assertEquals("conv 5x5x16 pad 2 pool 2, conv 5x5x20 pad 2 pool 2, conv 5x5x20 pad 2 pool 2", config.convProperty().get());
        assertEquals("", config.hiddenProperty().get());
        assertEquals(org.babysitter.engine.model.WeightInit.Kind.HE, config.initProperty().get(),
                "the first stage takes the lecture's 1e-4 init to He's");
        assertEquals(NetConfig.convnetjs(3072, 10), config.netConfig(3072, 10));
        assertEquals(List.of("input -> 3x32x32 [-1]",
                "conv 5x5x16 pad 2 -> 16x32x32 [0]", "ReLU -> 16x32x32 [0]", "max pool 2x2 -> 16x16x16 [0]",
                "conv 5x5x20 pad 2 -> 20x16x16 [1]", "ReLU -> 20x16x16 [1]", "max pool 2x2 -> 20x8x8 [1]",
                "conv 5x5x20 pad 2 -> 20x8x8 [2]", "ReLU -> 20x8x8 [2]", "max pool 2x2 -> 20x4x4 [2]",
                "affine 10 (scores) -> 10 [-1]", "softmax loss -> 1 [-1]"), rows());
        assertEquals("", layers.problemProperty().get());
    }

    @Test
    void movesStayAmongTheirKindAndTheSelectionFollowsTheItem() {
        config.convProperty().set("conv 3x3x8 pad 1, conv 3x3x4 pad 1 pool 2");
        config.hiddenProperty().set("100, 50");
        layers.selectedProperty().set(1); // the second stage
        assertTrue(layers.canMoveUpProperty().get());
        assertFalse(layers.canMoveDownProperty().get(), "a stage does not go below a hidden layer");
        layers.moveUp();
        assertEquals("conv 3x3x4 pad 1 pool 2, conv 3x3x8 pad 1", config.convProperty().get());
        assertEquals(0, layers.selectedProperty().get());
        layers.selectedProperty().set(2); // hidden 100
        assertFalse(layers.canMoveUpProperty().get(), "a hidden layer does not go above a stage");
        layers.moveDown();
        assertEquals("50, 100", config.hiddenProperty().get());
        assertEquals(3, layers.selectedProperty().get());
        layers.editHidden(64);
        assertEquals("50, 64", config.hiddenProperty().get());
        layers.addHiddenLayer();
        assertEquals("50, 64, 64", config.hiddenProperty().get());
        assertEquals(new NetLayersViewModel.Hidden(64), layers.selectedItemProperty().get());
        assertThrows(IllegalArgumentException.class, () -> layers.editHidden(0));
        for (int i = 3; i < NetLayersViewModel.MAX_HIDDEN; i++) {
            assertTrue(layers.canAddHiddenProperty().get());
            layers.addHiddenLayer();
        }
        assertFalse(layers.canAddHiddenProperty().get(), "the fields take at most 10 hidden layers");
        layers.addHiddenLayer();
        assertEquals("50, 64, 64, 64, 64, 64, 64, 64, 64, 64", config.hiddenProperty().get());
        // the field changed elsewhere: the selection stays in range
        config.hiddenProperty().set("");
        assertEquals(1, layers.selectedProperty().get());
        layers.removeSelected();
        layers.removeSelected();
        assertEquals(-1, layers.selectedProperty().get());
        assertEquals("", config.convProperty().get());
    }

    @Test
    void aStageThatDoesNotTileIsSaidAndTheShapesAfterItAreUnknown() {
        config.convProperty().set("conv 5x5x16 pad 2 pool 3, conv 3x3x8");
        config.batchNormProperty().set(true);
        assertEquals("'conv 5x5x16 pad 2 pool 3' over 3x32x32: a 3x3 filter with stride 3 and pad 0 does not tile a side of 32"
                + " (size + 2 pad - kernel must be a non-negative multiple of the stride)", layers.problemProperty().get());
        List<String> r = rows();
        assertEquals("conv 5x5x16 pad 2 -> 16x32x32 [0]", r.get(1));
        assertEquals("spatial batch norm -> 16x32x32 [0]", r.get(2));
        assertEquals("max pool 3x3 -> does not tile [0]", r.get(4));
        assertEquals("conv 3x3x8 -> ? [1]", r.get(5));
        assertEquals("ReLU -> ? [1]", r.get(7));
        config.convProperty().set("conv 5x5x16 pad 2 pool 2");
        assertEquals("", layers.problemProperty().get());
    }
}
