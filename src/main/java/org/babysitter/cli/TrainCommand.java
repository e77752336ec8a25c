package org.babysitter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.diagnosis.Narrator;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.OneDnn;
import org.babysitter.engine.metrics.Confusion;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvaluation;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.runs.RunRecorder;
import org.babysitter.engine.runs.RunSpec;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.train.Batching;
import org.babysitter.engine.train.Checkpoint;
import org.babysitter.engine.train.Evaluator;
import org.babysitter.engine.train.FirstLayer;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.TrainResult;
import org.babysitter.engine.train.TrainerControls;
import org.babysitter.engine.train.TrainerState;
import org.babysitter.engine.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code train}: one run, printed the lecture's way. Whatever ends the run (all epochs, a divergence after some
 * epochs, Ctrl-C) the best net so far is saved when {@code --checkpoint} was given; the destination is checked before
 * training starts, and so is the memory the run needs.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a fully connected net and print each epoch the lecture's way.")
final class TrainCommand implements Callable<Integer> {
    /** Exit code of a run that diverged (NaN, inf, or loss above 3x the first). */
    static final int DIVERGED = 3;

    @Mixin
    DataOptions dataOptions;
    @Mixin
    NetOptions netOptions;
    @Mixin
    TrainOptions trainOptions;
    @Mixin
    GemmOption gemmOption;

    @Option(names = "--checkpoint", paramLabel = "FILE.npz",
            description = "Save the best net as FILE.npz (numpy.load reads it; it says its pixel layout and preprocessing)"
                    + " plus FILE.json with the configs, also when the run diverges after some epochs or is stopped with"
                    + " Ctrl-C. Checked before training: the folder must exist and be writable. An earlier checkpoint is"
                    + " replaced; another file only with --overwrite; the training data never.")
    Path checkpoint;

    @Option(names = "--overwrite",
            description = "Let --checkpoint replace existing files that are not Babysitter checkpoints (never the --data files).")
    boolean overwrite;

    @Option(names = "--confusion",
            description = "After the run, the kept parameters' confusion matrix on the validation images, with each class's accuracy.")
    boolean confusion;

    @Option(names = "--filters", paramLabel = "FILE.png",
            description = "After the run, the kept first layer's weights as a PNG grid of 32x32 colour images (up to 100"
                    + " units, each stretched to its own range; an existing file is replaced only with --overwrite).")
    Path filters;

    @Option(names = "--diagnose",
            description = "The babysitting assistant: say, while the run trains, what the lecture would say about it (lr too"
                    + " low or high, overfitting, update/weight ratios, dead or saturated units, ...), each with the measured"
                    + " value, the threshold and what to do.")
    boolean diagnose;

    @Option(names = "--rewind", paramLabel = "N", defaultValue = "0",
            description = "When the loss breaks (NaN, inf, above 3x the first), go back to the last good state (values and"
                    + " update-rule state, checked by its own loss), lower lr 10x (reg, if reg made it break) and go on; up"
                    + " to N times, then a break ends the run as without it (default: ${DEFAULT-VALUE}).")
    int rewind;

    @Option(names = "--layers",
            description = "Inside the net over time: at ten points of the run (the first iteration, then every tenth of it)"
                    + " a table of each layer's output mean, std, dead and saturated share (batch norm's input and output"
                    + " labelled) and each weight's mean |dW| and |W|, from the layer samples the assistant reads.")
    boolean layers;

    @Option(names = "--store", paramLabel = "DIR",
            description = "Record the run in the run store in DIR (DIR/runs.db, made if needed; the window's workspace is"
                    + " the application-data folder, e.g. ~/.local/share/babysitter): configs, data checksum, every"
                    + " iteration and epoch, control changes, the assistant's findings, the best parameters."
                    + " 'runs list --store DIR' lists them.")
    Path store;

    @Option(names = "--fork-at", paramLabel = "ITERATION",
            description = "Fork the run after this iteration: the run trains to its end as given, then a second run goes on"
                    + " from exactly that iteration's state (values, update-rule state, batches, dropout masks) with"
                    + " --fork-lr and/or --fork-reg; both are printed, and recorded with --store (the fork tagged"
                    + " fork-of:ID@ITERATION). --checkpoint, --filters and --confusion apply to the original run.")
    Integer forkAt;

    @Option(names = "--fork-lr", paramLabel = "LR", description = "The fork's learning rate from --fork-at on (default: the run's at that point).")
    Double forkLr;

    @Option(names = "--fork-reg", paramLabel = "REG", description = "The fork's reg from --fork-at on (default: the run's at that point).")
    Double forkReg;

    @Option(names = "--name", paramLabel = "NAME", description = "The run's name in the store (default: its lr and reg, e.g. \"lr 1e-4, reg 1e-3\").")
    String name;

    @Spec
    CommandSpec spec;

    private static final String LOADING = "loading the images";

    /** What the command is doing, for an out-of-memory message. */
    private String doing = "starting";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (overwrite && checkpoint == null && filters == null) {
            throw new IllegalArgumentException("--overwrite applies to --checkpoint and --filters, neither is given");
        }
        if (filters != null) {
            FilterGrid.check(filters, overwrite, dataOptions.data);
        }
        if (rewind < 0) {
            throw new IllegalArgumentException("--rewind takes a count >= 0, got " + rewind);
        }
        TrainConfig config = trainOptions.config();
        // the architecture is checked now, before the images are read; the class count is the data's, 10 for CIFAR-10
        NetConfig planned = netOptions.config(Cifar.PIXELS, Cifar.CLASSES);
        CheckpointTarget target = checkpoint == null ? null : CheckpointTarget.check(checkpoint, overwrite, dataOptions.data);
        Gemm gemm = gemmOption.gemm();
        long maxHeap = Runtime.getRuntime().maxMemory();
        int plannedRows = config.batching() == Batching.FULL ? MemoryBudget.MAX_ROWS + 1 : config.batchSize();
        MemoryBudget.checkBeforeData(planned, config, MemoryBudget.of(planned, config, plannedRows, gemm.readsFloatCopies()), maxHeap);
        if (name != null && store == null) {
            throw new IllegalArgumentException("--name names the run in a store: give --store DIR too");
        }
        if (forkAt == null && (forkLr != null || forkReg != null)) {
            throw new IllegalArgumentException("--fork-lr and --fork-reg change a fork: give --fork-at ITERATION too");
        }
        if (forkAt != null) {
            if (forkAt < 1) {
                throw new IllegalArgumentException("--fork-at takes an iteration >= 1, got " + forkAt);
            }
            if (forkLr == null && forkReg == null) {
                throw new IllegalArgumentException("--fork-at needs what the fork changes: --fork-lr and/or --fork-reg");
            }
            if (forkLr != null) {
                TrainConfig.requireValid(TrainConfig.learningRateProblem(forkLr));
            }
            if (forkReg != null) {
                TrainConfig.requireValid(TrainConfig.regProblem(forkReg));
            }
        }
        // the store is opened before the images are read: a corrupt or newer store is refused at once
        try (RunStore runs = store == null ? null : RunStore.open(store); StopOnSignal stop = new StopOnSignal(err)) {
            return train(config, target, gemm, runs, stop, out, err);
        } catch (OutOfMemoryError e) {
            throw new Main.Failure(MemoryBudget.outOfMemory(doing, maxHeap, doing.equals(LOADING)), Main.BAD_INPUT);
        } catch (RuntimeException e) {
            // the evaluator's threads report their OutOfMemoryError wrapped
            if (Main.causeOf(e, OutOfMemoryError.class) != null) {
                throw new Main.Failure(MemoryBudget.outOfMemory(doing, maxHeap, doing.equals(LOADING)), Main.BAD_INPUT);
            }
            throw e;
        }
    }

    private int train(TrainConfig config, CheckpointTarget target, Gemm gemm, RunStore runs, StopOnSignal stop,
                      PrintWriter out, PrintWriter err) throws Exception {
        doing = LOADING;
        PreparedData data = dataOptions.load(err);
        NetConfig net = netOptions.config(Cifar.PIXELS, data.dataset().classCount());
        int trainSize = data.dataset().train().size();
        Runtime rt = Runtime.getRuntime();
        rt.gc(); // what the run must fit beside is the images, not the loader's garbage
        MemoryBudget.checkWithData(net, MemoryBudget.of(net, config, config.effectiveBatch(trainSize), gemm.readsFloatCopies()),
                rt.totalMemory() - rt.freeMemory(), rt.maxMemory());
        doing = "building the net";
        Trainer trainer = Trainer.create(net, data.dataset(), data.preprocessor(), config, gemm);
        boolean validation = !data.dataset().val().isEmpty();

        out.printf("Data: %s (%s), preprocessing: %s%n", data.dataset().source(), data.dataset().describeSplit(),
                data.preprocessor().kind());
        out.printf("Net: %s; update: %s%s, lr %s, reg %s, lr decay %s, batch %d (%s%s), %d epoch%s, seed %d%n", net.describe(),
                config.describeRule(), trainOptions.preset == TrainOptions.Preset.LECTURE ? " (--preset lecture)" : "",
                Numbers.exact(config.learningRate()), Numbers.exact(config.reg()), Numbers.exact(config.learningRateDecay()),
                trainer.batchSize(), config.batching().describe(), config.augment() ? ", flipped and shifted" : "", config.epochs(), config.epochs() == 1 ? "" : "s", config.seed());
        out.printf("GEMM: %s%n", gemmOption.explain(gemm));
        if (!net.conv().isEmpty()) {
            out.printf("Convolutions: %s%n", OneDnn.describe(gemm, true));
        }
        if (!validation) {
            out.println("No validation images (--val-size 0): the best epoch is the one of the best train accuracy.");
        }
        int total = trainer.iterationsPerEpoch() * config.epochs();
        if (forkAt != null && forkAt >= total) {
            throw new IllegalArgumentException("--fork-at " + forkAt + " is not inside the run: it has " + total
                    + " iterations (fork at 1.." + (total - 1) + ")");
        }
        // the state is taken between the fork's iteration and the next, without pausing the run
        CompletableFuture<TrainerState> forkState = new CompletableFuture<>();
        if (forkAt != null) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onIteration(IterationMetrics m) {
                    if (m.iteration() == forkAt) {
                        trainer.controls().askState().whenComplete((s, e) -> {
                            if (s != null) {
                                forkState.complete(s);
                            }
                        });
                    }
                }
            });
        }
        int code = record(config, target, gemm, runs, stop, out, err, data, net, trainer, validation, runName(config), false);
        if (forkAt == null) {
            return code;
        }
        if (!forkState.isDone()) {
            out.printf("No fork: the run ended before iteration %d.%n", forkAt);
            return code;
        }
        if (stop.signalled()) {
            return code;
        }
        TrainerState at = forkState.get();
        TrainerControls controls = new TrainerControls();
        StringBuilder change = new StringBuilder();
        if (forkLr != null) {
            controls.setLearningRate(forkLr);
            change.append("lr ").append(Numbers.exact(forkLr)).append(" (was ").append(Numbers.exact(at.learningRate())).append(')');
        }
        if (forkReg != null) {
            controls.setReg(forkReg);
            change.append(change.length() == 0 ? "" : ", ").append("reg ").append(Numbers.exact(forkReg)).append(" (was ")
                    .append(Numbers.exact(at.reg())).append(')');
        }
        out.printf("%nFork at iteration %d (epoch %.2f, loss %.6f): %s%n", at.iteration(),
                (double) at.iteration() / trainer.iterationsPerEpoch(), at.loss(), change);
        Trainer fork = Trainer.from(at, net, data.dataset(), data.preprocessor(), gemm, controls);
        String forkName = (lastRecorded > 0 ? "fork of run " + lastRecorded : "fork") + " at " + at.iteration() + ": " + change;
        long parent = lastRecorded;
        int forkCode = record(config, null, gemm, runs, stop, out, err, data, net, fork, validation, forkName, true);
        if (runs != null && parent > 0 && lastRecorded != parent) {
            runs.tag(lastRecorded, List.of("fork-of:" + parent + "@" + at.iteration()));
        }
        return code != 0 ? code : forkCode;
    }

    private String runName(TrainConfig config) {
        return name != null ? name : "lr " + Numbers.exact(config.learningRate()) + ", reg " + Numbers.exact(config.reg());
    }

    /** The id of the last run recorded in the store (0: none). */
    private long lastRecorded;

    /** Records {@code trainer}'s run (with a store), prints it and trains it; a fork keeps no checkpoint, filters or table. */
    private int record(TrainConfig config, CheckpointTarget target, Gemm gemm, RunStore runs, StopOnSignal stop, PrintWriter out,
                       PrintWriter err, PreparedData data, NetConfig net, Trainer trainer, boolean validation, String runName,
                       boolean fork) throws Exception {
        trainer.addListener(new Printer(out, err));
        RunRecorder recorder = null;
        if (runs != null) {
            doing = "recording the run";
            DataIdentity identity = dataOptions.data == null ? DataIdentity.ofImages(data.dataset())
                    : runs.identify(data.dataset().source(), dataOptions.data);
            recorder = runs.record(new RunSpec(runName, net, config, data.preprocessor().kind().label(), identity));
            trainer.addListener(recorder);
            lastRecorded = recorder.id();
            out.printf("Run %d recorded in %s%n", recorder.id(), runs.file());
        }
        try {
            return train(config, target, data, net, trainer, validation, recorder, stop, out, fork);
        } catch (RuntimeException | Error e) {
            if (recorder != null) {
                recorder.failed(doing + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            throw e;
        } finally {
            if (recorder != null) {
                recorder.close();
            }
        }
    }

    private int train(TrainConfig config, CheckpointTarget target, PreparedData data, NetConfig net, Trainer trainer,
                      boolean validation, RunRecorder recorder, StopOnSignal stop, PrintWriter out, boolean fork) throws Exception {
        Narrator narrator = null;
        if (diagnose) {
            narrator = new Narrator(f -> {
                out.println("  assistant: " + f.line());
                if (recorder != null) {
                    recorder.onFinding(f);
                }
            });
            trainer.addListener(narrator);
        }
        int total = trainer.iterationsPerEpoch() * config.epochs();
        if (diagnose || layers) {
            trainer.sampleLayerStatistics(Narrator.sampleEvery(total));
        }
        if (layers) {
            trainer.addListener(new LayerPrinter(out, total));
        }
        if (rewind > 0) {
            trainer.controls().setRewindOnBreak(true);
            trainer.addListener(new Rewinder(trainer.controls(), rewind, out));
        }
        stop.watch(trainer.controls());
        doing = "training";
        TrainResult result = trainer.run();

        if (narrator != null) {
            long warnings = narrator.findings().stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
            out.println(warnings == 0 ? "assistant: nothing wrong found (" + narrator.findings().size() + " notes)"
                    : "assistant: " + warnings + " warning" + (warnings == 1 ? "" : "s") + ", "
                            + (narrator.findings().size() - warnings) + " notes");
        }
        String score = validation ? "validation accuracy" : "train accuracy";
        boolean stopped = !result.completed() && !result.diverged();
        int perEpoch = trainer.iterationsPerEpoch();
        int best = result.bestEpoch();
        if (stopped) {
            int done = result.iterations() / perEpoch;
            out.printf("Stopped%s at iteration %d of %d, %s (%d of %d epochs completed).%n", stop.signalled() ? " (Ctrl-C or kill)" : "",
                    result.iterations(), perEpoch * config.epochs(),
                    result.iterations() % perEpoch == 0 ? "at the end of epoch " + done : "in epoch " + (done + 1),
                    done, config.epochs());
        }
        if (best == 0) {
            out.println("finished optimization. no epoch completed.");
        } else if (result.completed()) {
            out.printf(Locale.ROOT, "finished optimization. best %s: %.6f%n", score, result.bestValAccuracy());
        } else {
            out.printf(Locale.ROOT, "best %s %s: %.6f (epoch %d); the net holds that epoch's parameters%n", score,
                    result.diverged() ? "before the divergence" : "so far", result.bestValAccuracy(), best);
        }
        if (!data.dataset().test().isEmpty() && best > 0 && !stop.signalled()) {
            doing = "evaluating the test images";
            double test;
            if (recorder != null) {
                // the store keeps the whole evaluation (the validation confusion, the first layer); its test accuracy is the one printed
                RunEvaluation evaluation = new Evaluator(trainer.net(), data.preprocessor()).evaluate(data.dataset(),
                        result.iterations(), best);
                recorder.onEvaluation(evaluation);
                test = evaluation.testAccuracy();
            } else {
                test = new Evaluator(trainer.net(), data.preprocessor()).accuracy(data.dataset().test());
            }
            out.printf(Locale.ROOT, "test accuracy (best %s parameters%s): %.6f%n", validation ? "validation" : "train-accuracy",
                    result.diverged() ? ", before the divergence" : "", test);
        }
        if (filters != null && best > 0 && !fork) {
            doing = "drawing the first layer";
            List<int[]> images = FirstLayer.images(trainer.net().weights().get(0), Evaluator.FIRST_LAYER_IMAGES);
            if (images.isEmpty()) {
                out.println("Not drawing " + filters + ": the first layer's units do not read square colour images.");
            } else {
                FilterGrid.write(filters, images);
                out.println("Drew " + images.size() + " first-layer units in " + filters);
            }
        }
        if (confusion && validation && best > 0 && !stop.signalled() && !fork) {
            doing = "evaluating the validation images";
            Confusion c = new Evaluator(trainer.net(), data.preprocessor()).confusion(data.dataset().val(),
                    data.dataset().classNames());
            out.printf(Locale.ROOT, "Validation, per class (rows: the true class; columns: the class given), epoch %d's parameters:%n",
                    best);
            out.print(c.table());
        }
        Checkpoint kept = null;
        if (best > 0 && (target != null || recorder != null)) {
            String outcome;
            if (result.diverged()) {
                outcome = "diverged at iteration " + result.iterations() + "; these are epoch " + best
                        + "'s parameters, the best before the divergence: " + result.divergedReason();
            } else if (stopped) {
                outcome = "stopped" + (stop.signalled() ? " (Ctrl-C or kill)" : "") + " at iteration " + result.iterations()
                        + " of " + perEpoch * config.epochs() + "; these are epoch " + best + "'s parameters, the best so far";
            } else {
                outcome = "completed " + config.epochs() + " epoch" + (config.epochs() == 1 ? "" : "s") + "; these are epoch "
                        + best + "'s parameters, the best";
            }
            kept = new Checkpoint(net, config, data.preprocessor().kind(), data.dataset().source(),
                    data.dataset().classNames(), best, validation ? result.bestValAccuracy() : Double.NaN, outcome);
        }
        if (recorder != null && kept != null) {
            doing = "recording the best parameters";
            recorder.keepBest(kept.npzBytes(trainer.net(), data.preprocessor()), kept.json());
        }
        if (target != null) {
            if (best == 0) {
                out.println("Not saving " + target.npz() + ": no epoch completed" + (result.diverged() ? " before the divergence." : "."));
            } else {
                doing = "saving the checkpoint";
                Checkpoint c = kept;
                String replacing = target.replacing();
                target.save(npz -> c.save(npz, trainer.net(), data.preprocessor()));
                out.printf(Locale.ROOT, "Saved %s and %s%s: epoch %d's parameters, the best %s (%s %.6f).%n", target.npz(),
                        target.json().getFileName(), replacing, best,
                        result.diverged() ? "before the divergence" : stopped ? "so far" : "of the run", score, result.bestValAccuracy());
            }
        }
        out.flush();
        if (result.diverged()) {
            return DIVERGED;
        }
        return stop.signalled() ? Main.INTERRUPTED : 0;
    }

    /**
     * At each rewind at a break: the control that made it break 10x lower, and the run goes on from the state rewound
     * to; after the last allowed rewind a break ends the run.
     */
    private static final class Rewinder implements TrainingListener {
        private final TrainerControls controls;
        private final int allowed;
        private final PrintWriter out;
        private int done;

        Rewinder(TrainerControls controls, int allowed, PrintWriter out) {
            this.controls = controls;
            this.allowed = allowed;
            this.out = out;
        }

        @Override
        public void onEvent(RunEvent event) {
            if (!(event instanceof RunEvent.Rewound r)) {
                return;
            }
            done++;
            String lowered;
            if (r.cause() == RunEvent.Cause.REG) {
                double reg = Double.parseDouble(Numbers.significant(r.reg() / 10, 3));
                controls.setReg(reg);
                lowered = "reg " + Numbers.exact(r.reg()) + " -> " + Numbers.exact(reg);
            } else {
                double lr = Double.parseDouble(Numbers.significant(r.learningRate() / 10, 3));
                controls.setLearningRate(lr);
                lowered = "lr " + Numbers.exact(r.learningRate()) + " -> " + Numbers.exact(lr);
            }
            if (done >= allowed) {
                controls.setRewindOnBreak(false);
            }
            out.printf(Locale.ROOT, "Rewound (%d of %d): %s; back to iteration %d (loss %s then), %s%s%n", done, allowed,
                    r.reason(), r.toIteration(), Numbers.significant(r.lossThen(), 4), lowered,
                    done >= allowed ? "; the next break ends the run" : "");
            controls.resume();
        }
    }

    /** Prints a layer sample's table at the first iteration and then once per tenth of the run. */
    private static final class LayerPrinter implements TrainingListener {
        private final PrintWriter out;
        private final int total;
        private int next = 1;

        LayerPrinter(PrintWriter out, int total) {
            this.out = out;
            this.total = total;
        }

        @Override
        public void onLayerStatistics(LayerStatistics s) {
            if (s.iteration() < next) {
                return;
            }
            next = s.iteration() + Math.max(1, total / 10);
            out.printf(Locale.ROOT, "Layers at iteration %d of %d:%n", s.iteration(), total);
            s.lines().forEach(out::println);
        }
    }

    /** Prints the lecture's epoch lines, the divergence, and a progress line to err every 5 s within an epoch. */
    static final class Printer implements TrainingListener {
        private final PrintWriter out;
        private final PrintWriter err;
        private long lastPrint = System.nanoTime();
        private int perEpoch = 1;

        Printer(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public void onEvent(RunEvent event) {
            if (event instanceof RunEvent.Started s) {
                perEpoch = s.iterationsPerEpoch();
            } else if (event instanceof RunEvent.Diverged d) {
                out.println("Run diverged: " + d.reason());
            }
        }

        @Override
        public void onIteration(IterationMetrics m) {
            long now = System.nanoTime();
            if (now - lastPrint > 5_000_000_000L && m.iteration() % perEpoch != 0) {
                lastPrint = now;
                err.printf(Locale.ROOT, "  iteration %d (epoch %.2f): loss %.4f%n", m.iteration(), m.epoch(), m.loss());
            }
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            lastPrint = System.nanoTime();
            out.println(m.lectureLine());
        }
    }
}
