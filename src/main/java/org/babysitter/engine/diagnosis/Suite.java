package org.babysitter.engine.diagnosis;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.preprocess.Preprocessor;
import org.babysitter.engine.train.Batching;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.TrainResult;
import org.babysitter.engine.train.Trainer;
import org.babysitter.engine.train.optim.UpdateRuleKind;

/**
 * The assistant's labelled suite: deliberately broken runs, each with the rules that name its fault, and healthy runs,
 * on which no warning may fire. {@link #run} trains one case with a {@link Narrator} listening and scores it: right
 * (a warning of an expected rule), where the first right warning came (share of the run), false alarms.
 */
public final class Suite {
    private Suite() {
    }

    /**
     * One labelled run.
     *
     * @param name     short and unique
     * @param fault    the deliberate fault in words, or "healthy"
     * @param expected the rules whose warning is the right finding (empty: healthy, no warning may fire)
     * @param subset   train on the first N training images (0: all)
     */
    public record Case(String name, String fault, Set<Rule> expected, NetConfig net, TrainConfig train,
                       Preprocessing preprocessing, int subset) {
        public Case {
            expected = expected.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(expected));
        }

        public boolean healthy() {
            return expected.isEmpty();
        }
    }

    /**
     * How a case went.
     *
     * @param firstRight the iteration of the first warning of an expected rule (0: none)
     * @param iterations the run's planned iterations
     */
    public record Outcome(Case c, List<Finding> findings, int firstRight, int iterations, TrainResult result) {
        public List<Finding> warnings() {
            return findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).toList();
        }

        /** Broken: an expected rule warned. Healthy: nothing warned. */
        public boolean right() {
            return c.healthy() ? warnings().isEmpty() : firstRight > 0;
        }

        /** The first right warning within the first 10% of the run. */
        public boolean early() {
            return firstRight > 0 && firstRight <= Math.max(1, iterations / 10);
        }
    }

    /** The suite for a data set with {@code classes} classes of 3072 features; epochs sized for the built-in set. */
    public static List<Case> cases(int classes) {
        NetConfig lecture = NetConfig.twoLayer(3072, 50, classes);
        TrainConfig base = TrainConfig.defaults();
        // the init lesson's deep tanh net, on standardized inputs (Xavier assumes unit-variance inputs)
        NetConfig deepTanh = new NetConfig(3072, List.of(200, 200, 200, 200, 200, 200), classes, Activation.TANH, false, 0,
                WeightInit.xavier(), lecture.loss());
        Preprocessing unit = Preprocessing.CHANNEL_STANDARDIZE;
        List<Case> list = new ArrayList<>();
        // healthy
        list.add(new Case("lecture", "healthy", Set.of(), lecture, base, Preprocessing.MEAN_IMAGE, 0));
        list.add(new Case("h100", "healthy", Set.of(), lecture.withHidden(List.of(100)), base, Preprocessing.MEAN_IMAGE, 0));
        list.add(new Case("bn-adam", "healthy", Set.of(), lecture.withHidden(List.of(100, 50)).withBatchNorm(true)
                .withDropout(0.5).withInit(WeightInit.he()), base.withUpdateRule(UpdateRuleKind.ADAM).withLearningRate(1e-3).withBatchSize(200)
                .withReg(1e-2).withEpochs(5),
                Preprocessing.MEAN_IMAGE, 0));
        list.add(new Case("deep-tanh-xavier", "healthy", Set.of(), deepTanh, base.withLearningRate(1e-3), unit, 0));
        list.add(new Case("sgd", "healthy", Set.of(), lecture, base.withUpdateRule(UpdateRuleKind.SGD).withLearningRate(1e-3),
                Preprocessing.MEAN_IMAGE, 0));
        list.add(new Case("standardized", "healthy", Set.of(), lecture.withInit(WeightInit.he()),
                base.withLearningRate(1e-3), unit, 0));
        // broken
        list.add(new Case("lr-x100", "lr x100 (1e-2)", Set.of(Rule.LR_TOO_HIGH), lecture, base.withLearningRate(1e-2),
                Preprocessing.MEAN_IMAGE, 0));
        list.add(new Case("lr-div100", "lr / 100 (1e-6)", Set.of(Rule.LR_TOO_LOW), lecture, base.withLearningRate(1e-6),
                Preprocessing.MEAN_IMAGE, 0));
        list.add(new Case("reg-1e3", "reg 1e3 (the sanity check's, trained with)", Set.of(Rule.REG_DOMINATES), lecture,
                base.withReg(1e3), Preprocessing.MEAN_IMAGE, 0));
        list.add(new Case("tanh-std-x100", "deep tanh, init std 1.0 (0.01 x100)", Set.of(Rule.SATURATION),
                deepTanh.withInit(WeightInit.gaussian(1.0)), base.withLearningRate(1e-3), unit, 0));
        list.add(new Case("tanh-std-x0.01", "deep tanh, init std 1e-4 (0.01 x0.01)",
                Set.of(Rule.ACTIVATIONS_COLLAPSE, Rule.VANISHING_GRADIENT), deepTanh.withInit(WeightInit.gaussian(1e-4)),
                base.withLearningRate(1e-3), unit, 0));
        list.add(new Case("no-mean", "no mean subtraction", Set.of(Rule.NOT_CENTRED), lecture, base,
                Preprocessing.NONE, 0));
        list.add(new Case("under-capacity", "3 hidden units", Set.of(Rule.UNDER_CAPACITY), lecture.withHidden(List.of(3)),
                base.withEpochs(30), Preprocessing.MEAN_IMAGE, 0));
        list.add(new Case("overfit-20", "20 training images", Set.of(Rule.OVERFITTING), lecture,
                new TrainConfig(UpdateRuleKind.SGD, 1e-3, 0, 1, 0, 20, 200, Batching.FULL, 0, 20), Preprocessing.MEAN_IMAGE, 20));
        list.add(new Case("dying-relu", "raw pixels, lr 3e-4: ReLUs knocked dead", Set.of(Rule.DEAD_RELU),
                lecture.withHidden(List.of(100)), base.withLearningRate(3e-4), Preprocessing.NONE, 0));
        list.add(new Case("tiny-batch", "batch 4 (lr 4e-5)", Set.of(Rule.NOISY_LOSS), lecture,
                base.withBatchSize(4).withLearningRate(4e-5).withEpochs(5), Preprocessing.MEAN_IMAGE, 0));
        return List.copyOf(list);
    }

    /** Trains one case on {@code data} (preprocessing fitted on its training split) and scores what the narrator said. */
    public static Outcome run(Case c, Dataset data, Gemm gemm, Consumer<Finding> also) {
        ImageSet train = c.subset() > 0 ? data.train().head(c.subset()) : data.train();
        Dataset d = new Dataset(data.source(), data.classNames(), train, data.val(), data.test());
        Preprocessor p = Preprocessor.fit(train, c.preprocessing());
        Trainer trainer = Trainer.create(c.net(), d, p, c.train(), gemm);
        int iterations = trainer.iterationsPerEpoch() * c.train().epochs();
        int[] firstRight = {0};
        Narrator narrator = new Narrator(f -> {
            if (firstRight[0] == 0 && f.severity() == Finding.Severity.WARNING && c.expected().contains(f.rule())) {
                firstRight[0] = f.iteration();
            }
            if (also != null) {
                also.accept(f);
            }
        });
        trainer.addListener(narrator);
        trainer.sampleLayerStatistics(Narrator.sampleEvery(iterations));
        TrainResult r = trainer.run();
        return new Outcome(c, narrator.findings(), firstRight[0], iterations, r);
    }

    /** The suite's table: one line per case, then the totals against the bars (90% right, 5% false alarms, early). */
    public static String table(List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-17s %-40s %-36s %-38s %5s %8s%n", "case", "fault", "expected", "warnings (first one first)",
                "right", "first at"));
        int broken = 0;
        int brokenRight = 0;
        int early = 0;
        int healthy = 0;
        int alarms = 0;
        for (Outcome o : outcomes) {
            List<String> warned = o.warnings().stream().map(f -> f.rule().name().toLowerCase(Locale.ROOT)).distinct().toList();
            String expected = o.c().healthy() ? "(no warning)" : String.join(" or ",
                    o.c().expected().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList());
            String at = o.firstRight() > 0 ? String.format(Locale.ROOT, "%.1f%%", 100.0 * o.firstRight() / o.iterations()) : "-";
            b.append(String.format(Locale.ROOT, "%-17s %-40s %-36s %-38s %5s %8s%n", o.c().name(), o.c().fault(), expected,
                    warned.isEmpty() ? "-" : String.join(", ", warned), o.right() ? "yes" : "NO", at));
            if (o.c().healthy()) {
                healthy++;
                alarms += o.right() ? 0 : 1;
            } else {
                broken++;
                brokenRight += o.right() ? 1 : 0;
                early += o.early() ? 1 : 0;
            }
        }
        b.append(String.format(Locale.ROOT, "broken runs named right: %d / %d (%.0f%%, bar 90%%); first right warning in the"
                        + " first 10%% of the run: %d / %d; healthy runs with a false alarm: %d / %d (%.0f%%, bar 5%%)%n",
                brokenRight, broken, broken == 0 ? 0 : 100.0 * brokenRight / broken, early, brokenRight, alarms, healthy,
                healthy == 0 ? 0 : 100.0 * alarms / healthy));
        return b.toString();
    }
}
