package org.babysitter.app.session;

import java.util.ArrayList;
import java.util.List;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.ConvStage;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.optim.UpdateRuleKind;

/**
 * The model and training panels' values. Defaults are the lecture's two-layer net (3072-50-10, ReLU, std 1e-4)
 * and its tuned settings ({@link NetConfig#lecture()}, {@link TrainConfig#defaults()}), the same as the CLI's.
 */
public final class ConfigViewModel {
    private static final NetConfig NET = NetConfig.lecture();
    private static final TrainConfig TRAIN = TrainConfig.defaults();

    private final StringProperty hidden = new SimpleStringProperty(NET.hiddenSizes().stream().map(String::valueOf)
            .collect(java.util.stream.Collectors.joining(", ")));
    /** Convolutional stages before the hidden layers, as {@link ConvStage#parse} reads them; blank for none. */
    private final StringProperty conv = new SimpleStringProperty("");
    private final ObjectProperty<Activation> activation = new SimpleObjectProperty<>(NET.activation());
    private final ObjectProperty<WeightInit.Kind> init = new SimpleObjectProperty<>(NET.init().kind());
    private final DoubleProperty initStd = new SimpleDoubleProperty(NET.init().std());
    private final BooleanProperty batchNorm = new SimpleBooleanProperty(NET.batchNorm());
    private final DoubleProperty dropout = new SimpleDoubleProperty(NET.dropout());
    private final ObjectProperty<LossKind> loss = new SimpleObjectProperty<>(NET.loss());

    private final ObjectProperty<UpdateRuleKind> updateRule = new SimpleObjectProperty<>(TRAIN.updateRule());
    private final DoubleProperty learningRate = new SimpleDoubleProperty(TRAIN.learningRate());
    private final DoubleProperty momentum = new SimpleDoubleProperty(TRAIN.momentum());
    private final DoubleProperty learningRateDecay = new SimpleDoubleProperty(TRAIN.learningRateDecay());
    private final DoubleProperty reg = new SimpleDoubleProperty(TRAIN.reg());
    private final IntegerProperty batchSize = new SimpleIntegerProperty(TRAIN.batchSize());
    private final IntegerProperty epochs = new SimpleIntegerProperty(TRAIN.epochs());
    private final LongProperty seed = new SimpleLongProperty(TRAIN.seed());
    private final ObjectProperty<org.babysitter.engine.train.Batching> batching = new SimpleObjectProperty<>(TRAIN.batching());
    private final BooleanProperty augment = new SimpleBooleanProperty(TRAIN.augment());
    /** The net's layers as a list (the Model panel's editor), over CIFAR-10's images; declared last: it reads the above. */
    private final NetLayersViewModel layers = new NetLayersViewModel(this, org.babysitter.engine.data.Cifar.PIXELS,
            org.babysitter.engine.data.Cifar.CLASSES);

    /** Parses "conv 5x5x16 pad 2 pool 2, ..." (or "convnetjs") into the stages' own text; a clear error otherwise. */
    public static String parseConv(String text) {
        return ConvStage.format(ConvStage.parse(text));
    }

    /** The learning rate the ConvNetJS preset sets (momentum 0.9, inputs standardized per channel): it learns at once. */
    public static final double CONVNETJS_LR = 1e-2;

    /**
     * ConvNetJS's CIFAR-10 net in the forms: its three conv stages, no hidden layer, ReLU, He's init, and lr
     * {@link #CONVNETJS_LR} (the lecture's 1e-4 barely moves it).
     */
    public void applyConvNetJs() {
        learningRate.set(CONVNETJS_LR);
        NetConfig n = NetConfig.convnetjs(3072, 10);
        conv.set(ConvStage.format(n.conv()));
        hidden.set("");
        activation.set(n.activation());
        init.set(n.init().kind());
        batchNorm.set(false);
        dropout.set(0);
    }

    /** The lecture's two-layer net in the forms (3072-50-10, ReLU, gaussian std 1e-4), no conv stages. */
    public void applyLectureNet() {
        conv.set("");
        hidden.set(NET.hiddenSizes().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")));
        activation.set(NET.activation());
        init.set(NET.init().kind());
        initStd.set(NET.init().std());
        batchNorm.set(NET.batchNorm());
        dropout.set(NET.dropout());
    }

    /**
     * Parses "100, 50" into hidden sizes (none is allowed here: a conv net may go straight to the scores; a net without
     * conv stages refuses it when it is built); a clear IllegalArgumentException otherwise.
     */
    public static List<Integer> parseHidden(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            int h;
            try {
                h = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("hidden sizes: '" + part + "' is not a whole number");
            }
            if (h < 1 || h > 4096) {
                throw new IllegalArgumentException("hidden sizes must be between 1 and 4096, got " + h);
            }
            sizes.add(h);
        }
        if (sizes.size() > 10) {
            throw new IllegalArgumentException("give at most 10 hidden layer sizes, e.g. 50 or 100, 50");
        }
        return sizes;
    }

    /** The workbench's training defaults for the rule, momentum, decay, batch and batching (lr, reg, epochs stay). */
    public void applyDefaults() {
        applyTraining(TrainConfig.defaults());
    }

    /** The lecture's trainer as it ran (momentum 0, decay 0.95, batch 100, sampled); lr, reg, epochs stay. */
    public void applyLectureTrainer() {
        applyTraining(TrainConfig.defaults().asLectureTrainer());
    }

    private void applyTraining(TrainConfig t) {
        updateRule.set(t.updateRule());
        momentum.set(t.momentum());
        learningRateDecay.set(t.learningRateDecay());
        batchSize.set(t.batchSize());
        batching.set(t.batching());
        augment.set(t.augment());
    }

    /**
     * The forms show {@code net} and {@code train}: every value (a stored run or a search's trial opened in the main
     * window). The net's input size and classes come from the data, not from here.
     */
    public void apply(NetConfig net, TrainConfig train) {
        applyNet(net);
        applyTraining(train);
        learningRate.set(train.learningRate());
        reg.set(train.reg());
        epochs.set(train.epochs());
        seed.set(train.seed());
    }

    /** The forms show {@code net} (a net file opened): its layers and settings; the training fields stay. */
    public void applyNet(NetConfig net) {
        conv.set(ConvStage.format(net.conv()));
        hidden.set(net.hiddenSizes().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")));
        activation.set(net.activation());
        init.set(net.init().kind());
        if (net.init().kind() == WeightInit.Kind.GAUSSIAN) {
            initStd.set(net.init().std());
        }
        batchNorm.set(net.batchNorm());
        dropout.set(net.dropout());
        loss.set(net.loss());
    }

    /** The net for the current values; IllegalArgumentException with a message if a value is invalid. */
    public NetConfig netConfig(int inputSize, int classes) {
        WeightInit wi = init.get() == WeightInit.Kind.GAUSSIAN ? WeightInit.gaussian(initStd.get()) : new WeightInit(init.get(), 0);
        return new NetConfig(inputSize, parseHidden(hidden.get()), classes, activation.get(), batchNorm.get(), dropout.get(), wi,
                loss.get(), ConvStage.parse(conv.get()));
    }

    public TrainConfig trainConfig() {
        return new TrainConfig(updateRule.get(), learningRate.get(), momentum.get(), learningRateDecay.get(), reg.get(),
                batchSize.get(), epochs.get(), batching.get(), seed.get(), TrainConfig.DEFAULT_TRAIN_ACCURACY_SAMPLE, augment.get());
    }

    /** The net's layers as a list, edited in place of (and in step with) the conv stages and hidden sizes. */
    public NetLayersViewModel layers() {
        return layers;
    }

    public StringProperty convProperty() {
        return conv;
    }

    public StringProperty hiddenProperty() {
        return hidden;
    }

    public ObjectProperty<Activation> activationProperty() {
        return activation;
    }

    public ObjectProperty<WeightInit.Kind> initProperty() {
        return init;
    }

    public DoubleProperty initStdProperty() {
        return initStd;
    }

    public BooleanProperty batchNormProperty() {
        return batchNorm;
    }

    public DoubleProperty dropoutProperty() {
        return dropout;
    }

    public ObjectProperty<LossKind> lossProperty() {
        return loss;
    }

    public ObjectProperty<UpdateRuleKind> updateRuleProperty() {
        return updateRule;
    }

    public DoubleProperty learningRateProperty() {
        return learningRate;
    }

    public DoubleProperty momentumProperty() {
        return momentum;
    }

    public DoubleProperty learningRateDecayProperty() {
        return learningRateDecay;
    }

    public DoubleProperty regProperty() {
        return reg;
    }

    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public BooleanProperty augmentProperty() {
        return augment;
    }

    public ObjectProperty<org.babysitter.engine.train.Batching> batchingProperty() {
        return batching;
    }
}
