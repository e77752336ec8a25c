package org.babysitter.app.panels;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.babysitter.app.session.ConfigViewModel;
import org.babysitter.app.session.RunController;
import org.babysitter.app.session.RunState;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.Numbers;
import org.babysitter.engine.train.TrainConfig;

/**
 * The run's buttons (Start, Pause/Resume, Step, Stop, Reset) and, on a row of their own, the live controls above the
 * charts: learning rate and reg, each a log-scale slider plus a text field. During a run a change reaches the trainer
 * at its next iteration and appears as a marker on every chart; before a run it sets the starting value. The buttons
 * never take the keyboard focus (they answer the mouse, Space and F10): a stray Enter after a run can start or reset
 * nothing.
 */
public final class ControlBar {
    private final VBox node;
    private final LogControl learningRate;
    private final LogControl reg;

    /** @param reset what Reset does (the window asks first while a run is active) */
    public ControlBar(Workbench workbench, Runnable reset) {
        ConfigViewModel c = workbench.config();
        RunController run = workbench.run();
        var state = run.view().stateProperty();
        BooleanBinding active = Bindings.createBooleanBinding(() -> state.get().active(), state);
        var loaded = workbench.data().view().loadedProperty();

        Button start = button("start", "Start", "Start a new run with the settings on the left (Space)", run::start);
        start.disableProperty().bind(active.or(loaded.not()));
        start.getStyleClass().add("start-button");
        Button pause = button("pause", "Pause", "Pause or resume the run (Space)", run::togglePause);
        pause.textProperty().bind(Bindings.when(state.isEqualTo(RunState.PAUSED)).then("Resume").otherwise("Pause"));
        pause.disableProperty().bind(state.isNotEqualTo(RunState.RUNNING).and(state.isNotEqualTo(RunState.PAUSED)));
        Button step = button("step", "Step", "One iteration (F10); with no run, starts one paused after its first iteration",
                run::step);
        step.disableProperty().bind(loaded.not().or(state.isEqualTo(RunState.STARTING)));
        Button stop = button("stop", "Stop", "End the run; the net keeps its best-validation parameters", run::stop);
        stop.disableProperty().bind(active.not());
        Button fork = button("fork", "Fork", "From the paused iteration, a new run with the lr and reg set while paused (Ctrl+K);"
                + " the original stays as it was there (Run > Continue the original)", run::fork);
        fork.disableProperty().bind(state.isNotEqualTo(RunState.PAUSED));
        Button resetButton = button("reset", "Reset", "Stop and clear the charts (asks first during a run; Run > Undo reset"
                + " brings a cleared run back)", reset);
        HBox buttons = new HBox(6, start, pause, step, stop, fork, resetButton);
        buttons.setMinWidth(HBox.USE_PREF_SIZE);
        buttons.setAlignment(Pos.CENTER_LEFT);

        Label current = new Label();
        current.setId("trainer-lr");
        current.getStyleClass().add("small");
        var r = run.view();
        current.textProperty().bind(Bindings.createStringBinding(() -> Double.isNaN(r.learningRateProperty().get()) ? ""
                        : "trainer now: lr " + Numbers.significant(r.learningRateProperty().get(), 3) + ", reg "
                        + Numbers.significant(r.regProperty().get(), 3),
                r.learningRateProperty(), r.regProperty()));
        current.setMinWidth(Label.USE_PREF_SIZE);
        current.setTooltip(new Tooltip("What the running trainer uses: the learning rate after its per-epoch decay, and reg"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox first = new HBox(10, buttons, spacer, current);
        first.setAlignment(Pos.CENTER_LEFT);

        learningRate = new LogControl("learning-rate", "lr", c.learningRateProperty(), -7, 1,
                TrainConfig::learningRateProblem, run::setLearningRate);
        reg = new LogControl("reg", "reg", c.regProperty(), -7, 4, TrainConfig::regProblem, run::setReg);
        Tooltip.install(learningRate, new Tooltip("Learning rate: the slider steps 1, 2, 5 per decade, the field takes any"
                + " value; a running net takes a change at its next iteration (a marker on every chart)"));
        Tooltip.install(reg, new Tooltip("L2 strength in 0.5 * reg * sum(W^2); a running net takes a change at its next iteration"));
        HBox.setHgrow(learningRate, Priority.ALWAYS);
        HBox.setHgrow(reg, Priority.ALWAYS);
        HBox second = new HBox(16, learningRate, reg);
        second.setAlignment(Pos.TOP_LEFT);

        node = new VBox(4, first, second);
        node.setPadding(new Insets(6, 8, 2, 8));
        node.getStyleClass().add("control-bar");
        node.setId("control-bar");
    }

    private static Button button(String id, String text, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        b.setTooltip(new Tooltip(tip));
        b.setFocusTraversable(false);
        b.setMinWidth(Button.USE_PREF_SIZE);
        return b;
    }

    public VBox node() {
        return node;
    }

    public LogControl learningRate() {
        return learningRate;
    }

    public LogControl reg() {
        return reg;
    }
}
