package org.babysitter.app.panels;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;

import org.babysitter.app.session.ConfigViewModel;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.train.Batching;
import org.babysitter.engine.train.optim.UpdateRuleKind;

/**
 * How to train: update rule, momentum, lr decay, batch size, epochs, seed, batching, and presets (the workbench's
 * defaults, or the lecture's trainer as it ran). Applies when a run starts.
 */
public final class TrainingPanel {
    private final TitledPane pane;

    public TrainingPanel(Workbench workbench) {
        ConfigViewModel c = workbench.config();
        var state = workbench.run().view().stateProperty();
        BooleanBinding active = Bindings.createBooleanBinding(() -> state.get().active(), state);

        MenuItem defaults = new MenuItem("Workbench defaults: momentum 0.9, lr decay 0.95, batch 100, sampled");
        defaults.setId("preset-defaults");
        defaults.setOnAction(e -> c.applyDefaults());
        MenuItem lecture = new MenuItem("The lecture's trainer: update 'momentum' with momentum 0, lr decay 0.95, batch 100,"
                + " sampled");
        lecture.setId("preset-lecture");
        lecture.setOnAction(e -> c.applyLectureTrainer());
        MenuButton presets = new MenuButton("Presets", null, defaults, lecture);
        presets.setId("presets");
        presets.setTooltip(new Tooltip("The lecture's update='momentum' ran with the 2015 trainer's default momentum 0"
                + " (plain SGD steps): its learning rates diverge under momentum 0.9, whose steps are about 10x larger."
                + " Learning rate, reg and epochs stay as they are."));

        ChoiceBox<UpdateRuleKind> rule = Forms.choice("update-rule", UpdateRuleKind.values(), c.updateRuleProperty(),
                "How the weights follow the gradient: sgd, momentum, nesterov, rmsprop, adam, adamw (Adam with decoupled"
                        + " weight decay: reg shrinks the weights directly)");
        NumberField momentum = new NumberField("momentum", c.momentumProperty(), v -> Forms.range(v, 0, 0.999, "momentum"), false);
        momentum.textField().setTooltip(new Tooltip("mu of momentum and nesterov: v = mu * v - lr * dw; with 0.9 the step is"
                + " about 10x lr"));
        momentum.disableProperty().bind(active.or(Bindings.createBooleanBinding(() -> !rule.getValue().usesMomentum(),
                rule.valueProperty())));
        NumberField decay = new NumberField("lr-decay", c.learningRateDecayProperty(),
                v -> v <= 0 || v > 1 ? "lr decay must be above 0 and at most 1" : null, false);
        decay.textField().setTooltip(new Tooltip("The learning rate is multiplied by this after every epoch (1 = no decay)"));
        NumberField batch = new NumberField("batch-size", NumberField.bridge(c.batchSizeProperty()),
                v -> Forms.range(v, 1, 10_000, "batch size"), true);
        batch.textField().setTooltip(new Tooltip("Images per iteration (ignored for full batches)"));
        NumberField epochs = new NumberField("epochs", NumberField.bridge(c.epochsProperty()),
                v -> Forms.range(v, 1, 10_000, "epochs"), true);
        epochs.textField().setTooltip(new Tooltip("Passes over the training images"));
        NumberField seed = new NumberField("seed", NumberField.bridge(c.seedProperty()),
                v -> Forms.range(v, 0, 1e15, "seed"), true);
        seed.textField().setTooltip(new Tooltip("Fixes the weights, batches, dropout masks and accuracy samples: the same seed"
                + " gives the same run"));
        ChoiceBox<Batching> batching = Forms.choice("batching", Batching.values(), c.batchingProperty(),
                "sampled: each batch drawn at random with replacement (the lecture's sample_batches=True); shuffled: each"
                        + " epoch a shuffled pass; full: one step per epoch on all images (sample_batches=False)");
        javafx.scene.control.CheckBox augment = new javafx.scene.control.CheckBox("augment (flips, shifts)");
        augment.setId("augment");
        augment.selectedProperty().bindBidirectional(c.augmentProperty());
        augment.setTooltip(new Tooltip("ConvNetJS's data augmentation: each training image flipped left to right at random"
                + " and shifted by up to 2 pixels each way, anew every batch"));
        for (var n : new javafx.scene.Node[] {presets, rule, decay, batch, epochs, seed, batching, augment}) {
            n.disableProperty().bind(active);
        }

        var grid = Forms.grid();
        Forms.row(grid, "", presets);
        Forms.row(grid, "Update rule", rule);
        Forms.row(grid, "Momentum", momentum);
        Forms.row(grid, "lr decay / epoch", decay);
        Forms.row(grid, "Batch size", batch);
        Forms.row(grid, "Epochs", epochs);
        Forms.row(grid, "Seed", seed);
        Forms.row(grid, "Batches", batching);
        Forms.row(grid, "", augment);
        pane = Forms.section("Training", grid);
        pane.setId("training-panel");
    }

    public TitledPane node() {
        return pane;
    }
}
