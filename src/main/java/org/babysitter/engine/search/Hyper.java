package org.babysitter.engine.search;

import java.util.List;

import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.train.TrainConfig;

/**
 * The numeric hyperparameters a search can range over, each with its key (the CLI option and the JSON name), how it
 * is set on the configs and read back. The update rule is a choice of its own ({@link SearchSpec#rules()}).
 */
public enum Hyper {
    LR("lr", false),
    REG("reg", false),
    /** One hidden layer of this many units. */
    HIDDEN("hidden", true),
    MOMENTUM("momentum", false),
    LR_DECAY("lr-decay", false),
    BATCH_SIZE("batch-size", true),
    DROPOUT("dropout", false),
    /** The std of the gaussian weight init. */
    INIT_STD("std", false);

    private final String key;
    private final boolean integer;

    Hyper(String key, boolean integer) {
        this.key = key;
        this.integer = integer;
    }

    public String key() {
        return key;
    }

    /** True for counts (hidden units, batch size): sampled values are rounded. */
    public boolean integer() {
        return integer;
    }

    /** A sampled value as the config takes it: counts rounded to the nearest whole number. */
    public double value(double sampled) {
        return integer ? Math.round(sampled) : sampled;
    }

    /** The configs with this hyperparameter set to {@code v}; the configs' constructors refuse invalid values. */
    public Configs apply(Configs c, double v) {
        double x = value(v);
        return switch (this) {
            case LR -> new Configs(c.net(), c.train().withLearningRate(x));
            case REG -> new Configs(c.net(), c.train().withReg(x));
            case HIDDEN -> new Configs(c.net().withHidden(List.of(checkedInt(x))), c.train());
            case MOMENTUM -> new Configs(c.net(), c.train().withMomentum(x));
            case LR_DECAY -> new Configs(c.net(), c.train().withLearningRateDecay(x));
            case BATCH_SIZE -> new Configs(c.net(), c.train().withBatchSize(checkedInt(x)));
            case DROPOUT -> new Configs(c.net().withDropout(x), c.train());
            case INIT_STD -> new Configs(c.net().withInit(WeightInit.gaussian(x)), c.train());
        };
    }

    /** The value this hyperparameter has in the configs. */
    public double read(NetConfig net, TrainConfig train) {
        return switch (this) {
            case LR -> train.learningRate();
            case REG -> train.reg();
            case HIDDEN -> net.hiddenSizes().isEmpty() ? 0 : net.hiddenSizes().get(0); // a conv net without hidden layers: 0
            case MOMENTUM -> train.momentum();
            case LR_DECAY -> train.learningRateDecay();
            case BATCH_SIZE -> train.batchSize();
            case DROPOUT -> net.dropout();
            case INIT_STD -> net.init().std();
        };
    }

    public static Hyper byKey(String key) {
        for (Hyper h : values()) {
            if (h.key.equals(key)) {
                return h;
            }
        }
        throw new IllegalArgumentException("no hyperparameter '" + key + "'");
    }

    private int checkedInt(double x) {
        if (!(x >= 1 && x <= Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(key + " must be a whole number of at least 1, got " + x);
        }
        return (int) x;
    }

    /** A net and trainer config together. */
    public record Configs(NetConfig net, TrainConfig train) {
        public Configs {
            if (net == null || train == null) {
                throw new IllegalArgumentException("a net and a trainer config must be given");
            }
        }
    }
}
