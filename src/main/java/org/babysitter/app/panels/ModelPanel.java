package org.babysitter.app.panels;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiFunction;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

import org.babysitter.app.session.ConfigViewModel;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;

/**
 * The architecture: the net's layers as a list (edited there, or as text in the conv stages and hidden sizes fields,
 * the two in step), activation, init, batch norm, dropout, loss; presets (the lecture's two-layer net, ConvNetJS's
 * CIFAR-10 net) and net files (JSON) to open and save. Applies when a run starts.
 */
public final class ModelPanel {
    private final TitledPane pane;

    /** @param chooseNetFile a net file to open ({@code false}) or where to save one ({@code true}) */
    public ModelPanel(Workbench workbench, BiFunction<Window, Boolean, Optional<Path>> chooseNetFile) {
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

        LayerEditor editor = new LayerEditor(c.layers(), active);
        Button open = new Button("Open net file...");
        open.setId("open-net-file");
        open.setTooltip(new Tooltip("Read a net file (JSON, as the CLI's train --net FILE.json reads) into these fields"));
        open.setOnAction(e -> chooseNetFile.apply(open.getScene().getWindow(), false).ifPresent(workbench::openNetFile));
        Button save = new Button("Save net file...");
        save.setId("save-net-file");
        save.setTooltip(new Tooltip("Write the net in these fields as a net file (JSON) for train --net FILE.json"));
        save.setOnAction(e -> chooseNetFile.apply(save.getScene().getWindow(), true).ifPresent(workbench::saveNetFile));
        FlowPane top = new FlowPane(4, 4, presets, open, save); // wraps in presentation mode's larger font
        top.setAlignment(Pos.CENTER_LEFT);

        var grid = Forms.grid();
        grid.add(top, 0, 0, 2, 1);
        grid.add(editor.node(), 0, 1, 2, 1);
        GridPane.setMargin(editor.node(), new Insets(4, 0, 4, 0));
        Forms.row(grid, "Conv stages", conv);
        Forms.row(grid, "Hidden sizes", hidden);
        Forms.row(grid, "Activation", activation);
        Forms.row(grid, "Init", init);
        Forms.row(grid, "Init std", std);
        Forms.row(grid, "", bn);
        Forms.row(grid, "Dropout p", dropout);
        Forms.row(grid, "Loss", loss);
        for (var n : new javafx.scene.Node[] {presets, open, conv, hidden, activation, init, bn, dropout, loss}) {
            n.disableProperty().bind(active);
        }
        pane = Forms.section("Model", grid);
        pane.setId("model-panel");
    }

    public TitledPane node() {
        return pane;
    }
}
