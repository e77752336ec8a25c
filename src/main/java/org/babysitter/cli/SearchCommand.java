package org.babysitter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.cluster.ClusterConfig;
import org.babysitter.engine.cluster.TrialHost;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.search.Dimension;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.PrunerSpec;
import org.babysitter.engine.search.RandomVsGrid;
import org.babysitter.engine.search.Refine;
import org.babysitter.engine.search.SearchEvent;
import org.babysitter.engine.search.SearchLog;
import org.babysitter.engine.search.SearchRunner;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.search.TrialState;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code search}: the lecture's random search in log space. The spec comes from flags or {@code --spec FILE.json}
 * (flags given beside a file replace its values); each trial prints the lecture's line as it finishes, then the best
 * trials, warnings for best values at the edge of a range, and optionally the narrowed spec of the next stage.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Hyperparameter search: random (or grid) trials over log/uniform ranges, printed the lecture's way.")
final class SearchCommand implements Callable<Integer> {
    private static final String RANGE = " A range: LOW:HIGH:log, LOW:HIGH:uniform, A,B,C (a choice) or one value (fixed).";

    @Mixin
    DataOptions dataOptions;
    @Mixin
    GemmOption gemmOption;

    @Spec
    CommandSpec spec;

    @Option(names = "--spec", paramLabel = "FILE.json", description = "Read the search spec from FILE.json (flags given beside it replace its values).")
    Path specFile;

    @Option(names = "--save-spec", paramLabel = "FILE.json", description = "Write the spec as run to FILE.json.")
    Path saveSpec;

    @Option(names = "--fine-spec", paramLabel = "FILE.json",
            description = "After the search, write the next stage's spec: log ranges narrowed around the top --top trials.")
    Path fineSpec;

    @Option(names = "--top", paramLabel = "K", description = "Trials the narrowing and the edge warnings look at (default: ${DEFAULT-VALUE}).")
    int top = 5;

    @Option(names = "--fine-epochs", paramLabel = "N", description = "Epochs per trial of the --fine-spec stage (default: this stage's).")
    Integer fineEpochs;

    @Option(names = "--fine-subset", paramLabel = "N", description = "Training images of the --fine-spec stage, 0 for all (default: this stage's).")
    Integer fineSubset;

    @Option(names = "--fine-trials", paramLabel = "N", description = "Trials of the --fine-spec stage (default: this stage's).")
    Integer fineTrials;

    @Option(names = "--lr", paramLabel = "RANGE", description = "Learning rate (default: 1e-6:1e-3:log, the lecture's)." + RANGE)
    String lr;

    @Option(names = "--reg", paramLabel = "RANGE", description = "L2 strength (default: 1e-5:1e5:log, the lecture's)." + RANGE)
    String reg;

    @Option(names = "--hidden", paramLabel = "RANGE", description = "Units of the one hidden layer (default: 50)." + RANGE)
    String hidden;

    @Option(names = "--momentum", paramLabel = "RANGE", description = "Momentum (default: 0.9)." + RANGE)
    String momentum;

    @Option(names = "--lr-decay", paramLabel = "RANGE", description = "Learning rate decay per epoch (default: 0.95)." + RANGE)
    String lrDecay;

    @Option(names = "--batch-size", paramLabel = "RANGE", description = "Batch size (default: 100)." + RANGE)
    String batchSize;

    @Option(names = "--dropout", paramLabel = "RANGE", description = "Dropout probability (default: 0)." + RANGE)
    String dropout;

    @Option(names = "--std", paramLabel = "RANGE", description = "Std of the gaussian weight init (default: 1e-4)." + RANGE)
    String std;

    @Option(names = "--update", split = ",", paramLabel = "RULE",
            description = "Update rules to choose from, comma-separated (default: momentum).")
    List<UpdateRuleKind> rules;

    @Option(names = "--grid", description = "A grid over the ranges (at most --trials points) instead of random trials.")
    boolean grid;

    @Option(names = "--compare-grid",
            description = "The lecture's random vs grid picture: run a k x k grid and a random search on the same budget"
                    + " (--trials, a square; default 9), epochs, images and seed over the --lr and --reg ranges, and print"
                    + " each one's best trial and how many distinct lr values it tried.")
    boolean compareGrid;

    @Option(names = "--trials", paramLabel = "N", description = "Trials (default: 30).")
    Integer trials;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per trial (default: 1).")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "N", description = "The same seed draws the same trials; trial i trains with seed+i (default: 0).")
    Long seed;

    @Option(names = "--pruner", paramLabel = "KIND",
            description = "none, median (a trial below the median of the others at the same epoch stops) or halving"
                    + " (successive halving: at epochs 1, 3, 9, ... only the top third go on) (default: none).")
    String pruner;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Trials at once (default: ${DEFAULT-VALUE}, measured on 2 cores: BENCHMARKS.md).")
    int jobs = SearchRunner.DEFAULT_JOBS;

    @Option(names = "--store", paramLabel = "DIR",
            description = "Record the search in the run store in DIR (made if needed): its spec in DIR/searches/ID.json, each"
                    + " trial as a run tagged search:ID, so that --resume ID goes on after a crash or Ctrl-C.")
    Path store;

    @Option(names = "--resume", paramLabel = "ID",
            description = "Go on with search ID of --store DIR: its spec and data again, the trials that ended there kept,"
                    + " the others run (a spec or range flag is refused beside it; --jobs and --gemm may change).")
    String resume;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "Run the search across machines: this machine owns it (its store, its output) and runs --jobs"
                    + " trials; workers join with: babysitter worker --join THIS-HOST[:PORT] --cluster NAME --secret-file F"
                    + " --data PATH. Needs --secret-file or --secret-env.")
    String cluster;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    SecretOptions secret;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "With --cluster: the one local address to listen on (default: the one of this machine's route outwards).")
    String bind;

    @Option(names = "--port", paramLabel = "N",
            description = "With --cluster: the one port to listen on, to open on a firewall (default: " + ClusterConfig.DEFAULT_PORT + ").")
    Integer port;

    @Option(names = "--wait-for", paramLabel = "N",
            description = "With --cluster: wait until N workers have joined before the first trial (default: 0, start at once).")
    Integer waitFor;

    @Override
    public Integer call() throws Exception {
        if (resume != null && store == null) {
            throw new IllegalArgumentException("--resume ID takes the search from a store: give --store DIR too");
        }
        try (RunStore runs = store == null ? null : RunStore.open(store)) {
            return search(runs);
        }
    }

    private int search(RunStore runs) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (top < 1) {
            throw new IllegalArgumentException("--top takes a count >= 1, got " + top);
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs takes a count >= 1, got " + jobs);
        }
        if (fineSpec == null && (fineEpochs != null || fineSubset != null || fineTrials != null)) {
            throw new IllegalArgumentException("--fine-epochs, --fine-subset and --fine-trials describe the --fine-spec stage: give --fine-spec FILE.json too");
        }
        SearchLog resumed = resume == null ? null : SearchLog.reopen(runs, resume, dataOptions.preprocessing.label());
        if (resumed != null) {
            for (String option : new String[] {"--spec", "--lr", "--reg", "--hidden", "--momentum", "--lr-decay", "--batch-size",
                    "--dropout", "--std", "--update", "--grid", "--trials", "--epochs", "--seed", "--pruner", "--subset"}) {
                if (given(option)) {
                    throw new IllegalArgumentException(option + " cannot change a resumed search: it goes on with search "
                            + resume + "'s own spec");
                }
            }
        }
        if (cluster == null) {
            for (String option : new String[] {"--secret-file", "--secret-env", "--bind", "--port", "--wait-for"}) {
                if (given(option)) {
                    throw new IllegalArgumentException(option + " belongs to a search across machines: give --cluster NAME too");
                }
            }
        } else if (secret == null) {
            throw new IllegalArgumentException("--cluster needs the shared secret: --secret-file FILE or --secret-env VAR");
        } else if (waitFor != null && waitFor < 0) {
            throw new IllegalArgumentException("--wait-for takes a count >= 0, got " + waitFor);
        }
        if (compareGrid) {
            for (String option : new String[] {"--cluster", "--grid", "--store", "--resume", "--fine-spec", "--save-spec", "--spec"}) {
                if (given(option)) {
                    throw new IllegalArgumentException(option + " does not go with --compare-grid");
                }
            }
            return compare(out, err);
        }
        SearchSpec search = resumed != null ? resumed.spec() : searchSpec();
        ClusterConfig clusterConfig = cluster == null ? null : new ClusterConfig(cluster, secret.read(err), List.of(),
                bind != null ? bind : ClusterConfig.ownerAddress(), port != null ? port : ClusterConfig.DEFAULT_PORT);
        // the fine stage is checked now, not after the search
        SearchSpec nextStage = search.withStage(fineTrials == null ? search.trials() : fineTrials,
                fineEpochs == null ? search.epochs() : fineEpochs, fineSubset == null ? search.subset() : fineSubset);
        if (saveSpec != null) {
            search.save(saveSpec);
            out.println("Spec written to " + saveSpec);
        }
        Gemm gemm = gemmOption.gemm(jobs);
        dataOptions.trainSize = search.subset();
        LoadedImages images = dataOptions.loadImages(err);
        PreparedData data = PreparedData.prepare(images, dataOptions.split(), dataOptions.preprocessing);
        DataIdentity identity = DataIdentity.ofImages(data.dataset());
        if (resumed != null && !resumed.data().equals(identity)) {
            throw new IllegalArgumentException("search " + resume + " trained on " + resumed.data().name() + " ("
                    + resumed.data().checksum() + "), these images are " + identity.name() + " (" + identity.checksum()
                    + "): give the same --data and --val-size");
        }
        List<Trial> planned = search.trials(data.preprocessor().features(), data.dataset().classCount(), identity);
        SearchLog log = resumed != null ? resumed
                : runs == null ? null : SearchLog.create(runs, search, identity, data.preprocessor().kind().label());
        List<TrialResult> earlier = resumed != null ? resumed.finished(planned) : List.of();
        out.printf("Data: %s (%s), preprocessing: %s%n", data.dataset().source(), data.dataset().describeSplit(),
                data.preprocessor().kind());
        out.printf("Search: %s, %d trials of %d epoch%s, seed %d, pruner %s, %d at a time; %s%n",
                search.strategy().name().toLowerCase(Locale.ROOT), planned.size(), search.epochs(),
                search.epochs() == 1 ? "" : "s", search.seed(), search.pruner().describe(), jobs, describeRanges(search));
        out.printf("GEMM: %s%n", gemmOption.explain(gemm));
        if (log != null) {
            out.printf("Search %s recorded in %s%s (go on after a crash: search --store %s --resume %s)%n", log.id(), runs.file(),
                    earlier.isEmpty() ? "" : ", " + earlier.size() + " trials ended earlier", store, log.id());
        }
        for (TrialResult r : earlier) {
            out.println(line(r, planned.size(), search) + "  (earlier)");
        }
        out.flush();
        long start = System.nanoTime();
        List<TrialResult> results;
        if (clusterConfig == null) {
            SearchRunner runner = new SearchRunner(planned, earlier, log, data, gemm, search.pruner().create(), jobs, e -> {
                if (e instanceof SearchEvent.TrialFinished f) {
                    out.println(line(f.result(), f.total(), search));
                    out.flush();
                }
            });
            runner.start();
            results = runner.await();
        } else {
            Path from = dataOptions.data;
            List<TrialResult> all = new ArrayList<>(earlier);
            all.addAll(new ClusterOwner(clusterConfig, jobs, waitFor == null ? 0 : waitFor, out, err).run(planned, earlier, log,
                    images, TrialHost.location(from), TrialHost.dataHint(from),
                    dataOptions.split(), dataOptions.preprocessing, data, gemm, search.pruner().create(),
                    r -> line(r, planned.size(), search)));
            results = all;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%d trials%s in %.1f s: %s%n", results.size() - earlier.size(),
                earlier.isEmpty() ? "" : " (and " + earlier.size() + " earlier)", seconds, counts(results));
        List<TrialResult> best = Refine.top(results, top);
        if (best.isEmpty() || best.get(0).best() == 0) {
            out.println("No trial reached a validation accuracy above 0.");
        } else {
            out.printf(Locale.ROOT, "Best: val_acc %.6f, trial %d: %s%n", best.get(0).best(), best.get(0).trial().index() + 1,
                    describe(best.get(0).trial()));
            out.printf("Top %d:%n", best.size());
            for (TrialResult r : best) {
                out.printf(Locale.ROOT, "  val_acc %.6f  trial %d  %s  (%s)%n", r.best(), r.trial().index() + 1,
                        describe(r.trial()), r.state().word());
            }
            for (String w : Refine.edgeWarnings(search, results, top)) {
                out.println("warning: " + w);
            }
            if (fineSpec != null) {
                SearchSpec fine = Refine.narrow(nextStage.withSeed(search.seed() + 1), results, top);
                fine.save(fineSpec);
                out.printf("Fine spec written to %s: %s, %d trials of %d epochs on %s training images (run: search --spec %s)%n",
                        fineSpec, describeRanges(fine), fine.trials(), fine.epochs(),
                        fine.subset() == 0 ? "all" : String.valueOf(fine.subset()), fineSpec);
            }
        }
        boolean anyTrained = results.stream().anyMatch(r -> r.state() == TrialState.DONE || r.state() == TrialState.PRUNED);
        return anyTrained ? 0 : TrainCommand.DIVERGED;
    }

    /**
     * {@code --compare-grid}: the grid and the random search of {@link RandomVsGrid#specs} one after the other on the
     * same data, each trial's line as it ends, then per strategy its best line and distinct lr and reg counts, and the
     * conclusion.
     */
    private int compare(PrintWriter out, PrintWriter err) throws Exception {
        SearchSpec base = searchSpec();
        RandomVsGrid.Specs specs = RandomVsGrid.specs(base, trials != null ? trials : 9);
        Gemm gemm = gemmOption.gemm(jobs);
        dataOptions.trainSize = base.subset();
        PreparedData data = dataOptions.load(err);
        DataIdentity identity = DataIdentity.ofImages(data.dataset());
        out.printf("Data: %s (%s), preprocessing: %s%n", data.dataset().source(), data.dataset().describeSplit(),
                data.preprocessor().kind());
        out.printf("Random vs grid: %d trials each of %d epoch%s, seed %d; %s%n", specs.grid().trials(), base.epochs(),
                base.epochs() == 1 ? "" : "s", base.seed(), describeRanges(specs.grid()));
        List<List<TrialResult>> results = new ArrayList<>();
        for (SearchSpec s : List.of(specs.grid(), specs.random())) {
            out.printf("%s search:%n", s.strategy() == SearchSpec.Strategy.GRID ? "Grid" : "Random");
            out.flush();
            List<Trial> planned = s.trials(data.preprocessor().features(), data.dataset().classCount(), identity);
            SearchRunner runner = new SearchRunner(planned, data, gemm, s.pruner().create(), jobs, e -> {
                if (e instanceof SearchEvent.TrialFinished f) {
                    out.println("  " + line(f.result(), f.total(), s));
                    out.flush();
                }
            });
            runner.start();
            results.add(runner.await());
        }
        RandomVsGrid.Outcome o = new RandomVsGrid.Outcome(results.get(0), results.get(1));
        for (int i = 0; i < 2; i++) {
            List<TrialResult> r = results.get(i);
            List<TrialResult> best = Refine.top(r, 1);
            out.printf(Locale.ROOT, "%-6s best: %s; %d distinct lr values, %d distinct reg values%n", i == 0 ? "Grid" : "Random",
                    best.isEmpty() ? "none" : line(best.get(0), r.size(), i == 0 ? specs.grid() : specs.random()),
                    RandomVsGrid.distinct(r, Hyper.LR), RandomVsGrid.distinct(r, Hyper.REG));
        }
        out.println(o.conclusion());
        boolean anyTrained = results.stream().flatMap(List::stream)
                .anyMatch(r -> r.state() == TrialState.DONE || r.state() == TrialState.PRUNED);
        return anyTrained ? 0 : TrainCommand.DIVERGED;
    }

    /** The spec from the file or the defaults, with every given flag applied. */
    SearchSpec searchSpec() throws java.io.IOException {
        SearchSpec base = specFile != null ? SearchSpec.load(specFile)
                : SearchSpec.lectureCoarse(30, 1, dataOptions.trainSize, 0);
        Map<Hyper, Dimension> ranges = new EnumMap<>(Hyper.class);
        ranges.putAll(base.ranges());
        String[] given = {lr, reg, hidden, momentum, lrDecay, batchSize, dropout, std};
        Hyper[] hypers = {Hyper.LR, Hyper.REG, Hyper.HIDDEN, Hyper.MOMENTUM, Hyper.LR_DECAY, Hyper.BATCH_SIZE, Hyper.DROPOUT, Hyper.INIT_STD};
        for (int i = 0; i < hypers.length; i++) {
            if (given[i] != null) {
                try {
                    ranges.put(hypers[i], Dimension.parse(given[i]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--" + hypers[i].key() + ": " + e.getMessage());
                }
            }
        }
        boolean subsetGiven = given("--subset");
        return new SearchSpec(grid ? SearchSpec.Strategy.GRID : base.strategy(), ranges, rules != null ? rules : base.rules(),
                trials != null ? trials : base.trials(), epochs != null ? epochs : base.epochs(),
                subsetGiven || specFile == null ? dataOptions.trainSize : base.subset(), seed != null ? seed : base.seed(),
                pruner != null ? PrunerSpec.parse(pruner) : base.pruner());
    }

    /** True if the option was on the command line (not a default). */
    private boolean given(String option) {
        return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * The lecture's line, "val_acc: 0.412000, lr: 1.405206e-04, reg: 4.793564e-01, (1 / 100)" with the trial's number
     * (two at a time, trials may finish out of order), then the other ranged values and, for a trial that stopped
     * early, its state and why.
     */
    static String line(TrialResult r, int total, SearchSpec search) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "val_acc: %f, lr: %e, reg: %e, (%d / %d)",
                r.best(), r.trial().value(Hyper.LR), r.trial().value(Hyper.REG), r.trial().index() + 1, total));
        List<String> extra = new ArrayList<>();
        for (Hyper h : Hyper.values()) {
            if (h != Hyper.LR && h != Hyper.REG && search.range(h) != null) {
                extra.add(h.key() + " " + Numbers.exact(h.value(r.trial().value(h))));
            }
        }
        if (search.rules().size() > 1) {
            extra.add("update " + r.trial().train().updateRule().label());
        }
        if (!extra.isEmpty()) {
            sb.append(' ').append(String.join(", ", extra));
        }
        if (r.state() != TrialState.DONE) {
            sb.append("  ").append(r.state().word()).append(": ").append(r.reason());
        }
        return sb.toString();
    }

    private static String describe(Trial t) {
        return String.format(Locale.ROOT, "lr %e, reg %e, hidden %s, %s, lr decay %s, batch %d, dropout %s, std %s, seed %d",
                t.train().learningRate(), t.train().reg(), t.net().hiddenSizes().get(0), t.train().describeRule(),
                Numbers.exact(t.train().learningRateDecay()), t.train().batchSize(), Numbers.exact(t.net().dropout()),
                Numbers.exact(t.net().init().std()), t.train().seed());
    }

    private static String describeRanges(SearchSpec s) {
        List<String> parts = new ArrayList<>();
        for (Hyper h : Hyper.values()) {
            if (s.range(h) != null) {
                parts.add(h.key() + " " + s.range(h).describe());
            }
        }
        if (!s.rules().isEmpty()) {
            parts.add("update " + String.join(",", s.rules().stream().map(UpdateRuleKind::label).toList()));
        }
        return parts.isEmpty() ? "nothing ranged" : String.join(", ", parts);
    }

    private static String counts(List<TrialResult> results) {
        Map<TrialState, Integer> n = new EnumMap<>(TrialState.class);
        results.forEach(r -> n.merge(r.state(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        n.forEach((s, c) -> parts.add(c + " " + s.word()));
        return String.join(", ", parts);
    }
}
