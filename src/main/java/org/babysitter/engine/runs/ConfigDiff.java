package org.babysitter.engine.runs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.train.TrainConfig;

/**
 * How the configs of runs shown side by side differ: of every setting a run is made of (net, update rule, lr, reg, lr
 * decay, batch, batching, dropout, batch norm, init, activation, loss, epochs, seed, data, preprocessing), only those
 * whose values are not the same for all of them, so that a legend or a table says what tells the runs apart
 * ("lr 1e-3" vs "lr 1e-4" when the rest is equal). Pure: the window's comparison legend and {@code runs compare} both
 * use it. Any thread.
 */
public final class ConfigDiff {
    /** The settings of {@link #describe}'s single run when there is nothing to compare it with. */
    private static final List<String> ALONE = List.of("lr", "reg");

    private final List<Map<String, String>> values;
    private final List<String> differing;

    /**
     * One run's settings, as compared.
     *
     * @param net           the architecture
     * @param train         the trainer's parameters, the seed among them
     * @param data          the data's name
     * @param preprocessing the preprocessing in words
     */
    public record Config(NetConfig net, TrainConfig train, String data, String preprocessing) {
        public Config {
            if (net == null || train == null || data == null || preprocessing == null) {
                throw new IllegalArgumentException("a compared config needs the net, the trainer, the data and the preprocessing");
            }
        }

        /** The config a stored run was trained with. */
        public static Config of(RunDetail d) {
            return new Config(d.netConfig(), d.trainConfig(), d.data().name(), d.preprocessing());
        }

        /** The config of a run about to be recorded. */
        public static Config of(RunSpec s) {
            return new Config(s.net(), s.train(), s.data().name(), s.preprocessing());
        }

        /** Every setting by its short name, in the order a person reads them; each value as the CLI writes it. */
        public Map<String, String> fields() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("net", net.layout());
            f.put("activation", net.activation().toString());
            f.put("rule", train.describeRule());
            f.put("lr", Numbers.exact(train.learningRate()));
            f.put("reg", Numbers.exact(train.reg()));
            f.put("lr decay", Numbers.exact(train.learningRateDecay()));
            f.put("batch", Integer.toString(train.batchSize()));
            f.put("batching", train.batching().toString());
            f.put("augment", train.augment() ? "on" : "off");
            f.put("dropout", Numbers.exact(net.dropout()));
            f.put("batch norm", net.batchNorm() ? "on" : "off");
            f.put("init", net.init().toString());
            f.put("loss", net.loss().toString());
            f.put("epochs", Integer.toString(train.epochs()));
            f.put("seed", Long.toString(train.seed()));
            f.put("data", data);
            f.put("preprocessing", preprocessing);
            return f;
        }
    }

    /** The differences among {@code configs} (in their order; at least one). */
    public ConfigDiff(List<Config> configs) {
        if (configs == null || configs.isEmpty()) {
            throw new IllegalArgumentException("compare at least one config");
        }
        values = configs.stream().map(Config::fields).toList();
        List<String> d = new ArrayList<>();
        for (String field : values.get(0).keySet()) {
            String first = values.get(0).get(field);
            if (values.stream().anyMatch(v -> !v.get(field).equals(first))) {
                d.add(field);
            }
        }
        differing = List.copyOf(d);
    }

    /** The settings whose values differ, in reading order (empty: all the same). */
    public List<String> differing() {
        return differing;
    }

    /** Run {@code i}'s value of {@code field}. */
    public String value(int i, String field) {
        String v = values.get(i).get(field);
        if (v == null) {
            throw new IllegalArgumentException("no setting " + field);
        }
        return v;
    }

    /**
     * Run {@code i}'s differing settings in words, e.g. "lr 1e-3, reg 0.5"; "same config, seed 2" when only the seed
     * differs; "same config" when nothing does; a single run alone: its lr and reg.
     */
    public String describe(int i) {
        if (values.size() == 1) {
            return words(i, ALONE);
        }
        if (differing.isEmpty()) {
            return "same config";
        }
        if (differing.equals(List.of("seed"))) {
            return "same config, " + words(i, differing);
        }
        return words(i, differing);
    }

    private String words(int i, List<String> fields) {
        List<String> parts = new ArrayList<>();
        for (String f : fields) {
            parts.add(f + " " + value(i, f));
        }
        return String.join(", ", parts);
    }
}
