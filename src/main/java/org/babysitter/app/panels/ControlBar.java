package org.babysitter.app.panels;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.babysitter.app.session.ConfigViewModel;
import org.babysitter.app.session.RunState;
import org.babysitter.app.session.Session;

/**
 * The run's buttons (Start, Pause/Resume, Step, Stop, Reset) and the live controls above the charts: learning
 * rate and reg as a log-scale slider plus a text field. During a run a change reaches the trainer at its next
 * iteration and appears as a marker on every chart; before a run it sets the starting value.
 */
public final class ControlBar {
    private final VBox node;
    private final LogControl learningRate;
    private final LogControl reg;

    public ControlBar(Session session) {
        ConfigViewModel c = session.config();
        var state = session.run().stateProperty();
        BooleanBinding active = Bindings.createBooleanBinding(() -> state.get().active(), state);

        Button start = new Button("Start");
        start.setId("start");
        start.setOnAction(e -> session.start());
        start.disableProperty().bind(active.or(session.data().loadedProperty().not()));
        start.setTooltip(new Tooltip("Start a new run (Space)"));
        start.getStyleClass().add("start-button");
        Button pause = new Button();
        pause.setId("pause");
        pause.textProperty().bind(Bindings.when(state.isEqualTo(RunState.PAUSED)).then("Resume").otherwise("Pause"));
        pause.setOnAction(e -> session.togglePause());
        pause.disableProperty().bind(state.isNotEqualTo(RunState.RUNNING).and(state.isNotEqualTo(RunState.PAUSED)));
        pause.setTooltip(new Tooltip("Pause or resume (Space)"));
        Button step = new Button("Step");
        step.setId("step");
        step.setOnAction(e -> session.step());
        step.setTooltip(new Tooltip("One iteration (F10); with no run, starts one paused after its first iteration"));
        step.disableProperty().bind(session.data().loadedProperty().not().or(state.isEqualTo(RunState.STARTING)));
        Button stop = new Button("Stop");
        stop.setId("stop");
        stop.setOnAction(e -> session.stop());
        stop.disableProperty().bind(active.not());
        stop.setTooltip(new Tooltip("End the run; the net keeps its best-validation parameters"));
        Button reset = new Button("Reset");
        reset.setId("reset");
        reset.setOnAction(e -> session.reset());
        reset.setTooltip(new Tooltip("Stop and clear the charts"));
        for (Button b : new Button[] {start, pause, step, stop, reset}) {
            b.setMinWidth(Button.USE_PREF_SIZE);
        }
        HBox buttons = new HBox(6, start, pause, step, stop, reset);
        buttons.setMinWidth(HBox.USE_PREF_SIZE);
        buttons.setAlignment(Pos.CENTER_LEFT);

        learningRate = new LogControl("learning-rate", "lr", c.learningRateProperty(), -7, 1,
                v -> v <= 0 || v > 1e7 ? "the learning rate must be above 0 and at most 1e7" : null, session::setLearningRate);
        reg = new LogControl("reg", "reg", c.regProperty(), -7, 4,
                v -> v < 0 || v > 1e5 ? "reg must be between 0 and 1e5" : null, session::setReg);
        Tooltip.install(learningRate, new Tooltip("Learning rate; a running net takes a change at its next iteration"));
        Tooltip.install(reg, new Tooltip("L2 strength in 0.5 * reg * sum(W^2); a running net takes a change at its next iteration"));
        HBox.setHgrow(learningRate, Priority.ALWAYS);
        HBox.setHgrow(reg, Priority.ALWAYS);

        Label current = new Label();
        current.setId("trainer-lr");
        current.getStyleClass().add("small");
        current.textProperty().bind(Bindings.createStringBinding(() -> {
            double lr = session.run().learningRateProperty().get();
            double r = session.run().regProperty().get();
            return Double.isNaN(lr) ? "" : String.format(java.util.Locale.ROOT, "trainer now: lr %.3g, reg %.3g", lr, r);
        }, session.run().learningRateProperty(), session.run().regProperty()));
        current.setMinWidth(Label.USE_PREF_SIZE);

        HBox row = new HBox(10, buttons, new Separator(javafx.geometry.Orientation.VERTICAL), learningRate, reg);
        row.setAlignment(Pos.CENTER_LEFT);
        HBox second = new HBox(current);
        second.setAlignment(Pos.CENTER_RIGHT);
        node = new VBox(2, row, second);
        node.setPadding(new Insets(6, 8, 4, 8));
        node.getStyleClass().add("control-bar");
        node.setId("control-bar");
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
