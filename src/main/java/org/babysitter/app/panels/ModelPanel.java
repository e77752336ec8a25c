package org.babysitter.app.panels;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;

import org.babysitter.app.session.ConfigViewModel;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;

/**
 * The architecture: conv stages, hidden sizes, activation, init, batch norm, dropout, loss, and presets (the lecture's
 * two-layer net, ConvNetJS's CIFAR-10 net). Applies when a run starts.
 */
public final class ModelPanel {
    private final TitledPane pane;

    public ModelPanel(Workbench workbench) {
        ConfigViewModel c = workbench.config();
        var state = workbench.run().view().stateProperty();
        BooleanBinding active = Bindings.createBooleanBinding(() -> state.get().active(), state);

        CheckedField<String> hidden = new CheckedField<>("hidden-sizes", c.hiddenProperty()) {
            {
                showValue();
            }

            @Override
            protected String parse(String text) {
                return String.join(", ", ConfigViewModel.parseHidden(text).stream().map(String::valueOf).toList());
            }

            @Override
            protected String format(String v) {
                return v;
            }
        };
        hidden.textField().setTooltip(new Tooltip("Hidden layer sizes, comma-separated: 50 is the lecture's two-layer net"
                + " (3072-50-10); 100, 50 gives two hidden layers; blank after conv stages: straight to the scores"));

        CheckedField<String> conv = new CheckedField<>("conv-stages", c.convProperty()) {
            {
                showValue();
            }

            @Override
            protected String parse(String text) {
                return ConfigViewModel.parseConv(text);
            }

            @Override
            protected String format(String v) {
                return v;
            }
        };
        conv.textField().setPromptText("none: a fully connected net");
        conv.textField().setTooltip(new Tooltip("Convolutional stages before the hidden layers, comma-separated, each"
                + " conv KxKxFILTERS [stride S] [pad P] [pool Q]: the convolution, batch norm if on, the activation, then"
                + " Q x Q max pooling. E.g. conv 5x5x16 pad 2 pool 2, conv 5x5x20 pad 2 pool 2 (Presets: ConvNetJS's net)."
                + " Blank: the lecture's fully connected net."));
        MenuItem lectureNet = new MenuItem("The lecture's two-layer net (3072-50-10)");
        lectureNet.setId("preset-lecture-net");
        lectureNet.setOnAction(e -> c.applyLectureNet());
        MenuItem convnetjs = new MenuItem("ConvNetJS's CIFAR-10 net (3 conv-ReLU-pool stages; lr 1e-2, per-channel standardized inputs)");
        convnetjs.setId("preset-convnetjs");
        convnetjs.setOnAction(e -> {
            c.applyConvNetJs();
            // ConvNetJS scales its pixels into [-0.5, 0.5]; raw 0..255 pixels minus the mean image do not train it here
            workbench.data().view().preprocessingProperty().set(org.babysitter.engine.preprocess.Preprocessing.CHANNEL_STANDARDIZE);
        });
        MenuButton presets = new MenuButton("Presets", null, lectureNet, convnetjs);
        presets.setId("model-presets");
        presets.setTooltip(new Tooltip("Set the architecture fields to a known net (the training fields stay)"));

        ChoiceBox<Activation> activation = Forms.choice("activation", Activation.values(), c.activationProperty(),
                "The nonlinearity after each hidden layer: ReLU (the default), leaky ReLU, tanh, sigmoid");
        ChoiceBox<WeightInit.Kind> init = Forms.choice("init", WeightInit.Kind.values(), c.initProperty(),
                "How weights start: gaussian with the std below (the lecture's 1e-4), Xavier (1/sqrt(fan in)) or He"
                        + " (sqrt(2/fan in), for ReLU); biases start at 0");
        NumberField std = new NumberField("init-std", c.initStdProperty(), v -> Forms.range(v, 1e-8, 10, "init std"), false);
        std.textField().setTooltip(new Tooltip("The std of the gaussian init (the lecture's 0.0001 * randn); Xavier and He"
                + " choose their own"));
        std.disableProperty().bind(init.valueProperty().isNotEqualTo(WeightInit.Kind.GAUSSIAN).or(active));
        CheckBox bn = new CheckBox("batch norm");
        bn.setId("batch-norm");
        bn.selectedProperty().bindBidirectional(c.batchNormProperty());
        bn.setTooltip(new Tooltip("Batch normalization after each hidden affine layer, before the nonlinearity"
                + " (batch statistics in training, running averages at test time)"));
        NumberField dropout = new NumberField("dropout", c.dropoutProperty(), v -> Forms.range(v, 0, 0.95, "dropout"), false);
        dropout.textField().setTooltip(new Tooltip("Probability of dropping a hidden unit in training (inverted dropout); 0 = off"));
        ChoiceBox<LossKind> loss = Forms.choice("loss", LossKind.values(), c.lossProperty(),
                "Softmax cross-entropy (starts at ln(10) = 2.303) or the multiclass SVM (starts at 9)");

        var grid = Forms.grid();
        Forms.row(grid, "", presets);
        Forms.row(grid, "Conv stages", conv);
        Forms.row(grid, "Hidden sizes", hidden);
        Forms.row(grid, "Activation", activation);
        Forms.row(grid, "Init", init);
        Forms.row(grid, "Init std", std);
        Forms.row(grid, "", bn);
        Forms.row(grid, "Dropout p", dropout);
        Forms.row(grid, "Loss", loss);
        for (var n : new javafx.scene.Node[] {presets, conv, hidden, activation, init, bn, dropout, loss}) {
            n.disableProperty().bind(active);
        }
        pane = Forms.section("Model", grid);
        pane.setId("model-panel");
    }

    public TitledPane node() {
        return pane;
    }
}
