package org.babysitter.app.panels;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;

import org.babysitter.app.session.ConfigViewModel;
import org.babysitter.app.session.Session;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;

/** The architecture: hidden sizes, activation, init, batch norm, dropout, loss. Applies when a run starts. */
public final class ModelPanel {
    private final TitledPane pane;

    public ModelPanel(Session session) {
        ConfigViewModel c = session.config();
        BooleanBinding active = Bindings.createBooleanBinding(() -> session.run().stateProperty().get().active(),
                session.run().stateProperty());

        TextField hidden = new TextField(c.hiddenProperty().get());
        hidden.setId("hidden-sizes");
        Label hiddenError = new Label();
        hiddenError.getStyleClass().add("field-error");
        hiddenError.setWrapText(true);
        hiddenError.setManaged(false);
        hiddenError.setVisible(false);
        Runnable commitHidden = () -> {
            try {
                ConfigViewModel.parseHidden(hidden.getText());
                c.hiddenProperty().set(hidden.getText().strip());
                hiddenError.setVisible(false);
                hiddenError.setManaged(false);
            } catch (IllegalArgumentException e) {
                hiddenError.setText(e.getMessage() + "; kept " + c.hiddenProperty().get());
                hiddenError.setVisible(true);
                hiddenError.setManaged(true);
                hidden.setText(c.hiddenProperty().get());
            }
        };
        hidden.setOnAction(e -> commitHidden.run());
        hidden.focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                commitHidden.run();
            }
        });
        hidden.setTooltip(new Tooltip("Hidden layer sizes, e.g. 50 (the lecture's two-layer net) or 100, 50"));

        ChoiceBox<Activation> activation = new ChoiceBox<>();
        activation.getItems().setAll(Activation.values());
        activation.valueProperty().bindBidirectional(c.activationProperty());
        ChoiceBox<WeightInit.Kind> init = new ChoiceBox<>();
        init.setId("init");
        init.getItems().setAll(WeightInit.Kind.values());
        init.valueProperty().bindBidirectional(c.initProperty());
        NumberField std = new NumberField("init-std", c.initStdProperty(), v -> Forms.range(v, 1e-8, 10, "init std"), false);
        std.disableProperty().bind(init.valueProperty().isNotEqualTo(WeightInit.Kind.GAUSSIAN).or(active));
        CheckBox bn = new CheckBox("batch norm");
        bn.setId("batch-norm");
        bn.selectedProperty().bindBidirectional(c.batchNormProperty());
        NumberField dropout = new NumberField("dropout", c.dropoutProperty(), v -> Forms.range(v, 0, 0.95, "dropout"), false);
        Tooltip.install(dropout, new Tooltip("Probability of dropping a hidden unit in training (inverted dropout); 0 = off"));
        ChoiceBox<LossKind> loss = new ChoiceBox<>();
        loss.getItems().setAll(LossKind.values());
        loss.valueProperty().bindBidirectional(c.lossProperty());

        var grid = Forms.grid();
        Forms.row(grid, "Hidden sizes", new VBox(2, hidden, hiddenError));
        Forms.row(grid, "Activation", activation);
        Forms.row(grid, "Init", init);
        Forms.row(grid, "Init std", std);
        Forms.row(grid, "", bn);
        Forms.row(grid, "Dropout p", dropout);
        Forms.row(grid, "Loss", loss);
        for (var n : new javafx.scene.Node[] {hidden, activation, init, bn, dropout, loss}) {
            n.disableProperty().bind(active);
        }
        pane = Forms.section("Model", grid);
        pane.setId("model-panel");
    }

    public TitledPane node() {
        return pane;
    }
}
