package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.babysitter.app.session.NetLayersViewModel;
import org.babysitter.engine.model.ConvStage;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.NetFile;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * The Model panel's layer list: ConvNetJS's net built by clicks and typed numbers, the text fields following; a stage
 * that does not tile said beside the list; the net saved and opened as a net file, a bad one said in a notice.
 */
class NetEditorWindowTest extends WindowTest {
    @Start
    void start(Stage stage) {
        open(stage);
    }

    @Test
    void convNetJsIsBuiltInTheLayerListAndABadStageIsSaid(FxRobot robot) throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
        @SuppressWarnings("unchecked")
        ListView<NetLayersViewModel.Row> list = robot.lookup("#net-layers").queryAs(ListView.class);
        TextField conv = robot.lookup("#conv-stages-text").queryAs(TextField.class);
        TextField hidden = robot.lookup("#hidden-sizes-text").queryAs(TextField.class);
        assertEquals(List.of("input", "affine 50", "ReLU", "affine 10 (scores)", "softmax loss"), layers(list));

        // the lecture's hidden layer out: its row chosen, Remove
        robot.clickOn(cell(robot, "affine 50"));
        assertTrue(robot.lookup("#hidden-fields").query().isVisible());
        robot.clickOn("#remove-layer");
        assertEquals("", hidden.getText());
        assertEquals("a net needs at least one conv stage or hidden layer: add one", problem(robot));

        // three stages: the first as added (5x5x16 pad 2 pool 2), the second with 20 filters typed, the third its copy
        robot.clickOn("#add-conv-stage");
        assertEquals("conv 5x5x16 pad 2 pool 2", conv.getText());
        robot.clickOn("#add-conv-stage");
        type(robot, "#layer-filters", "20");
        robot.clickOn("#add-conv-stage");
        assertEquals("conv 5x5x16 pad 2 pool 2, conv 5x5x20 pad 2 pool 2, conv 5x5x20 pad 2 pool 2", conv.getText());
        NetConfig built = fx(() -> session.config().netConfig(3072, 10));
        assertEquals(NetConfig.convnetjs(3072, 10).layout(), built.layout());
        assertEquals(NetConfig.convnetjs(3072, 10), built, "He's init too: the first stage took the lecture's 1e-4 to it");
        assertEquals(ConvStage.CONVNETJS, built.conv());
        assertEquals(List.of(), built.hiddenSizes());
        assertEquals("20x4x4", list.getItems().get(9).output(), "the third stage's pool: " + list.getItems());
        assertFalse(robot.lookup("#net-layers-problem").query().isVisible());

        // a stride the first stage's 32 pixels do not tile: said beside the list, the shapes after it unknown
        robot.clickOn(cell(robot, "conv 5x5x16 pad 2"));
        type(robot, "#layer-stride", "2");
        assertEquals("conv 5x5x16 stride 2 pad 2 pool 2, conv 5x5x20 pad 2 pool 2, conv 5x5x20 pad 2 pool 2", conv.getText());
        assertTrue(robot.lookup("#net-layers-problem").query().isVisible());
        assertTrue(problem(robot).startsWith("'conv 5x5x16 stride 2 pad 2 pool 2' over 3x32x32: a 5x5 filter with stride 2"
                + " and pad 2 does not tile a side of 32"), problem(robot));
        assertEquals("does not tile", list.getItems().get(1).output());
        robot.clickOn("#layer-stride .increment-arrow-button"); // stride 3: 32 + 4 - 5 = 31 is no multiple of 3 either
        assertTrue(problem(robot).contains("stride 3"), problem(robot));
        type(robot, "#layer-stride", "1");
        assertEquals("", problem(robot));

        // typed into the field, shown in the list; a hidden layer added and moved is written back to the field
        robot.clickOn(conv).push(KeyCode.SHORTCUT, KeyCode.A).write("conv 3x3x8 pad 1 pool 2, conv 5x5x20 pad 2 pool 2")
                .type(KeyCode.ENTER);
        assertEquals(List.of("input", "conv 3x3x8 pad 1", "ReLU", "max pool 2x2", "conv 5x5x20 pad 2", "ReLU", "max pool 2x2",
                "affine 10 (scores)", "softmax loss"), layers(list));
        robot.clickOn(cell(robot, "conv 5x5x20 pad 2")).clickOn("#move-layer-up");
        assertEquals("conv 5x5x20 pad 2 pool 2, conv 3x3x8 pad 1 pool 2", conv.getText());
        assertFalse(robot.lookup("#move-layer-down").query().isDisabled());
        robot.clickOn("#add-hidden-layer");
        assertEquals("50", hidden.getText());
        type(robot, "#layer-units", "100");
        robot.clickOn("#add-hidden-layer");
        assertEquals("100, 100", hidden.getText());
        type(robot, "#layer-units", "64");
        robot.clickOn("#move-layer-up");
        assertEquals("64, 100", hidden.getText());
        assertTrue(robot.lookup("#move-layer-up").query().isDisabled(), "the first hidden layer stays after the stages");
        assertEquals("3x32x32-conv 5x5x20 pad 2 pool 2-conv 3x3x8 pad 1 pool 2-64-100-10",
                fx(() -> session.config().netConfig(3072, 10)).layout());
        // Delete in the list removes the selected item
        robot.clickOn(cell(robot, "affine 100")).type(KeyCode.DELETE);
        assertEquals("64", hidden.getText());
    }

    @Test
    void theNetIsSavedAndOpenedAsANetFileAndABadFileIsANotice(FxRobot robot) throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
        preset(robot, "preset-convnetjs");
        Path file = tmp.resolve("convnetjs.json");
        dialogs.netFile = file;
        robot.clickOn("#save-net-file");
        assertEquals(NetConfig.convnetjs(3072, 10), NetFile.read(file, 3072, 10));

        preset(robot, "preset-lecture-net");
        assertEquals("", robot.lookup("#conv-stages-text").queryAs(TextField.class).getText());
        robot.clickOn("#open-net-file");
        assertEquals("conv 5x5x16 pad 2 pool 2, conv 5x5x20 pad 2 pool 2, conv 5x5x20 pad 2 pool 2",
                robot.lookup("#conv-stages-text").queryAs(TextField.class).getText());
        assertEquals(12, fx(() -> session.config().layers().rows().size()));
        assertEquals(NetConfig.convnetjs(3072, 10), fx(() -> session.config().netConfig(3072, 10)));

        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"layers\": [{\"pool\": 2}]}");
        dialogs.netFile = bad;
        robot.clickOn("#open-net-file");
        waitFor("the notice", () -> session.noticeProperty().get() != null);
        assertEquals("Open net file", session.noticeProperty().get().title());
        assertEquals(bad + ": layer 1 {\"pool\":2}: a pool needs a conv before it (a pool ends a conv stage). The Model panel"
                + " is as it was.", session.noticeProperty().get().message());
        waitFor("the notice's dialog", () -> robot.lookup("#notice-dialog").tryQuery().isPresent());
        assertEquals(12, fx(() -> session.config().layers().rows().size()), "the net as it was");

        // a net the CLI trains but the window's fields do not take: said, naming the file
        Path deep = Files.writeString(tmp.resolve("deep.json"), "{\"layers\": [" + String.join(", ",
                java.util.Collections.nCopies(11, "{\"affine\": 20}")) + "]}");
        dialogs.netFile = deep;
        robot.clickOn(robot.lookup("#notice-dialog").queryAs(javafx.scene.control.DialogPane.class)
                .lookupButton(javafx.scene.control.ButtonType.OK)); // the last notice read and closed
        fx(() -> {
            session.noticeProperty().set(null);
            return null;
        });
        robot.clickOn("#open-net-file");
        waitFor("the notice", () -> session.noticeProperty().get() != null);
        assertEquals(deep + ": give at most 10 hidden layer sizes, e.g. 50 or 100, 50 (the window's limit; train --net takes"
                + " it). The Model panel is as it was.", session.noticeProperty().get().message());
        assertEquals(12, fx(() -> session.config().layers().rows().size()), "the net as it was");
    }

    private static List<String> layers(ListView<NetLayersViewModel.Row> list) {
        return list.getItems().stream().map(NetLayersViewModel.Row::layer).toList();
    }

    private static String problem(FxRobot robot) {
        return robot.lookup("#net-layers-problem").queryAs(Label.class).getText();
    }

    /** The list's cell showing {@code layer}, scrolled into view as a user would. */
    @SuppressWarnings("unchecked")
    private Node cell(FxRobot robot, String layer) throws Exception {
        ListView<NetLayersViewModel.Row> list = robot.lookup("#net-layers").queryAs(ListView.class);
        fx(() -> {
            list.scrollTo(layers(list).indexOf(layer));
            // the left column scrolled to the list's top, as a user would (the panels are taller than the window)
            javafx.scene.Parent p = list.getParent();
            while (!(p instanceof javafx.scene.control.ScrollPane)) {
                p = p.getParent();
            }
            javafx.scene.control.ScrollPane left = (javafx.scene.control.ScrollPane) p;
            double top = left.getContent().sceneToLocal(list.localToScene(0, 0)).getY();
            double range = left.getContent().getBoundsInLocal().getHeight() - left.getViewportBounds().getHeight();
            left.setVvalue(Math.max(0, Math.min(1, (top - 30) / range)));
            return null;
        });
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup("#net-layers .list-cell").match(n -> n.isVisible() && n instanceof javafx.scene.control.ListCell<?> c
                && c.getItem() instanceof NetLayersViewModel.Row r && r.layer().equals(layer)).query();
    }

    /** Types {@code text} into a spinner's field as a user does, then Enter. */
    private void type(FxRobot robot, String spinner, String text) throws Exception {
        Spinner<?> s = robot.lookup(spinner).queryAs(Spinner.class);
        robot.doubleClickOn(s.getEditor());
        robot.eraseText(s.getEditor().getText().length() + 2).write(text).type(KeyCode.ENTER);
        assertEquals(Integer.valueOf(text), fx(s::getValue), spinner);
    }

    private void preset(FxRobot robot, String id) throws Exception {
        javafx.scene.control.MenuButton presets = robot.lookup("#model-presets").queryAs(javafx.scene.control.MenuButton.class);
        fx(() -> {
            presets.getItems().stream().filter(i -> id.equals(i.getId())).findFirst().orElseThrow().fire();
            return null;
        });
    }
}
