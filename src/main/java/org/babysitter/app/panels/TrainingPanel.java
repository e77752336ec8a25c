package org.babysitter.app.panels;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.TitledPane;

import org.babysitter.app.session.ConfigViewModel;
import org.babysitter.app.session.Session;
import org.babysitter.engine.train.optim.UpdateRuleKind;

/** How to train: update rule, momentum, lr decay, batch size, epochs, seed, sampling. Applies when a run starts. */
public final class TrainingPanel {
    private final TitledPane pane;

    public TrainingPanel(Session session) {
        ConfigViewModel c = session.config();
        var state = session.run().stateProperty();
        BooleanBinding active = Bindings.createBooleanBinding(() -> state.get().active(), state);

        ChoiceBox<UpdateRuleKind> rule = new ChoiceBox<>();
        rule.setId("update-rule");
        rule.getItems().setAll(UpdateRuleKind.values());
        rule.valueProperty().bindBidirectional(c.updateRuleProperty());
        NumberField momentum = new NumberField("momentum", c.momentumProperty(), v -> Forms.range(v, 0, 0.999, "momentum"), false);
        momentum.disableProperty().bind(active.or(Bindings.createBooleanBinding(() -> !rule.getValue().usesMomentum(),
                rule.valueProperty())));
        NumberField decay = new NumberField("lr-decay", c.learningRateDecayProperty(),
                v -> v <= 0 || v > 1 ? "lr decay must be above 0 and at most 1" : null, false);
        NumberField batch = new NumberField("batch-size", NumberField.bridge(c.batchSizeProperty()),
                v -> Forms.range(v, 1, 10_000, "batch size"), true);
        NumberField epochs = new NumberField("epochs", NumberField.bridge(c.epochsProperty()),
                v -> Forms.range(v, 1, 10_000, "epochs"), true);
        NumberField seed = new NumberField("seed", NumberField.bridge(c.seedProperty()),
                v -> Forms.range(v, 0, 1e15, "seed"), true);
        ChoiceBox<org.babysitter.engine.train.Batching> sample = new ChoiceBox<>();
        sample.setId("batching");
        sample.getItems().setAll(org.babysitter.engine.train.Batching.values());
        sample.valueProperty().bindBidirectional(c.batchingProperty());
        for (var n : new javafx.scene.Node[] {rule, decay, batch, epochs, seed, sample}) {
            n.disableProperty().bind(active);
        }

        var grid = Forms.grid();
        Forms.row(grid, "Update rule", rule);
        Forms.row(grid, "Momentum", momentum);
        Forms.row(grid, "lr decay / epoch", decay);
        Forms.row(grid, "Batch size", batch);
        Forms.row(grid, "Epochs", epochs);
        Forms.row(grid, "Seed", seed);
        Forms.row(grid, "Batches", sample);
        pane = Forms.section("Training", grid);
        pane.setId("training-panel");
    }

    public TitledPane node() {
        return pane;
    }

}
