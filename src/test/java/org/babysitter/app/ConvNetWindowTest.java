package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import javafx.scene.control.TextField;
import javafx.stage.Stage;

import org.babysitter.app.session.RunState;
import org.babysitter.engine.model.Layer;
import org.babysitter.engine.preprocess.Preprocessing;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/** The Model panel's presets and conv stages: ConvNetJS's net set up in the forms, trained, its filters drawn as 5x5 images. */
class ConvNetWindowTest extends WindowTest {
    @Start
    void start(Stage stage) {
        open(stage);
    }

    @Test
    void theConvNetJsPresetTrainsAConvNetAndDrawsItsFilters(FxRobot robot) throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
        preset(robot, "preset-convnetjs");
        TextField conv = robot.lookup("#conv-stages-text").queryAs(TextField.class);
        assertEquals("conv 5x5x16 pad 2 pool 2, conv 5x5x20 pad 2 pool 2, conv 5x5x20 pad 2 pool 2", conv.getText());
        assertEquals("", robot.lookup("#hidden-sizes-text").queryAs(TextField.class).getText());
        assertEquals(Preprocessing.CHANNEL_STANDARDIZE, fx(() -> session.data().view().preprocessingProperty().get()));
        assertEquals(1e-2, fx(() -> session.config().learningRateProperty().get()), 0);
        fx(() -> {
            session.config().epochsProperty().set(1);
            session.data().view().trainSubsetProperty().set(300); // 3 iterations
            return null;
        });
        robot.clickOn("#start");
        waitFor("the run's end", 120, () -> fx(() -> session.run().view().stateProperty().get()) == RunState.FINISHED);
        waitFor("the evaluation", () -> fx(() -> session.run().view().evaluationProperty().get()) != null);
        List<String> layers = fx(() -> session.run().trainer().net().layers().stream().map(Layer::describe).toList());
        assertEquals("conv 5x5x16 pad 2: 3x32x32 -> 16x32x32", layers.get(0));
        assertEquals(10, layers.size(), layers.toString());
        assertTrue(fx(() -> window.charts().lossCount()) >= 3);
        var images = fx(() -> session.run().view().evaluationProperty().get().firstLayer());
        assertEquals(16, images.size(), "one image per filter");
        assertEquals(25, images.get(0).length, "5x5 pixels");
        robot.clickOn("View").clickOn("#menu-first-layer");
        waitFor("the filters' view", () -> robot.lookup("#first-layer-grid").tryQuery().isPresent());

        // back to the lecture's net
        preset(robot, "preset-lecture-net");
        assertEquals("", conv.getText());
        assertEquals("50", robot.lookup("#hidden-sizes-text").queryAs(TextField.class).getText());
    }

    /** Chooses a preset of the Model panel's Presets button (its menu is a popup, fired as choosing it does). */
    private void preset(FxRobot robot, String id) throws Exception {
        javafx.scene.control.MenuButton presets = robot.lookup("#model-presets").queryAs(javafx.scene.control.MenuButton.class);
        fx(() -> {
            presets.getItems().stream().filter(i -> id.equals(i.getId())).findFirst().orElseThrow().fire();
            return null;
        });
    }
}
