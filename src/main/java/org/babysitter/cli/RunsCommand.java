package org.babysitter.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.io.AtomicFiles;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.runs.ConfigDiff;
import org.babysitter.engine.runs.RunDetail;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.runs.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code runs list | show | compare | export | rename | tag | note | delete | undelete}: the run store from the command line. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "The runs recorded with 'train --store DIR': list, show, compare, export, rename, tag, note, delete.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Compare.class, RunsCommand.Export.class,
                RunsCommand.Rename.class,
                RunsCommand.Tag.class, RunsCommand.Note.class, RunsCommand.Delete.class, RunsCommand.Undelete.class})
final class RunsCommand implements Runnable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "name a subcommand: list, show, compare, export, rename, tag, note, delete or undelete");
    }

    /** Which store: {@code --store DIR}, by default the workspace in the home folder. */
    static final class StoreOption {
        @Option(names = "--store", paramLabel = "DIR",
                description = "The workspace folder holding runs.db (default: the window's workspace, the application-data folder: ~/.local/share/babysitter on Linux; see README).")
        Path store;

        Path folder() {
            return store != null ? store : RunStore.defaultFolder();
        }

        RunStore open() throws IOException {
            return RunStore.openExisting(folder());
        }
    }

    /** A subcommand on one store, printing to the command line's out. */
    abstract static class OnStore implements Callable<Integer> {
        @Mixin
        StoreOption storeOption;
        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() throws Exception {
            try (RunStore store = storeOption.open()) {
                on(store, out());
            }
            out().flush();
            return 0;
        }

        abstract void on(RunStore store, PrintWriter out) throws IOException;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The runs, newest first.")
    static final class ListRuns extends OnStore {
        @Option(names = "--deleted", description = "Also the deleted runs (not yet purged), marked so.")
        boolean deleted;

        @Override
        public Integer call() throws Exception {
            if (!Files.exists(storeOption.folder().resolve(RunStore.FILE))) {
                out().println("No runs in " + storeOption.folder() + " yet (no " + RunStore.FILE + "): train --store "
                        + storeOption.folder() + " records one.");
                out().flush();
                return 0;
            }
            return super.call();
        }

        @Override
        void on(RunStore store, PrintWriter out) throws IOException {
            List<RunSummary> runs = store.list(deleted);
            if (runs.isEmpty()) {
                out.println("No runs in " + store.file() + ".");
                return;
            }
            out.printf(Locale.ROOT, "%4s  %-11s  %-16s  %-28s  %-14s  %-16s  %-12s  %-8s  %-8s  %-7s  %s%n", "id", "state",
                    "created", "name", "data", "net", "rule", "lr", "reg", "epochs", "best val");
            for (RunSummary r : runs) {
                out.printf(Locale.ROOT, "%4d  %-11s  %-16s  %-28s  %-14s  %-16s  %-12s  %-8s  %-8s  %-7s  %s%s%n", r.id(),
                        r.state().word(), TIME.format(r.created()), cut(r.name(), 28), cut(r.data().split(" \\(")[0], 14),
                        cut(r.net().split(" ")[0], 16), cut(r.rule(), 12), Numbers.exact(r.lr()), Numbers.exact(r.reg()),
                        r.epochsDone() + "/" + r.epochs(),
                        Double.isNaN(r.bestVal()) ? "-" : String.format(Locale.ROOT, "%.6f", r.bestVal()),
                        r.deleted() ? "  (deleted)" : r.tags().isEmpty() ? "" : "  [" + String.join(", ", r.tags()) + "]");
            }
        }

        static String cut(String s, int n) {
            return s.length() <= n ? s : s.substring(0, n - 1) + "~";
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Everything of one run: configs, data, how it ended, the epochs, control changes, findings.")
    static final class Show extends OnStore {
        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = "--iterations", description = "Also every iteration (iteration, epoch, loss, lr, reg).")
        boolean iterations;

        @Override
        void on(RunStore store, PrintWriter out) throws IOException {
            RunDetail d = store.detail(id);
            RunSummary s = d.summary();
            out.printf("Run %d: %s%s%n", s.id(), s.name(), s.deleted() ? " (deleted)" : "");
            out.printf("State: %s%s%n", s.state().word(), d.reason().isEmpty() ? "" : " (" + d.reason() + ")");
            out.printf("Created: %s%s%n", TIME.format(s.created()), d.ended() == null ? "" : ", ended " + TIME.format(d.ended()));
            out.printf("Data: %s, %s; preprocessing: %s%n", d.data().name(), d.data().checksum(), d.preprocessing());
            out.printf("Net: %s%n", d.netConfig().describe());
            out.printf("Trainer: %s, lr %s, reg %s, lr decay %s, batch %d (%s), %d epochs, seed %d%n",
                    d.trainConfig().describeRule(), Numbers.exact(d.trainConfig().learningRate()),
                    Numbers.exact(d.trainConfig().reg()), Numbers.exact(d.trainConfig().learningRateDecay()),
                    d.trainConfig().batchSize(), d.trainConfig().batching().describe(), d.trainConfig().epochs(),
                    d.trainConfig().seed());
            out.printf(Locale.ROOT, "Progress: %d iterations, %d of %d epochs; best %s%s%n", d.iterations(), s.epochsDone(),
                    s.epochs(), Double.isNaN(s.bestVal()) ? "-" : String.format(Locale.ROOT, "%.6f", s.bestVal()),
                    d.bestEpoch() > 0 ? " (epoch " + d.bestEpoch() + ")" : "");
            out.printf("Best parameters: %s%n", d.hasBest() ? "stored (runs export writes them as a checkpoint)" : "none stored");
            if (!s.tags().isEmpty()) {
                out.printf("Tags: %s%n", String.join(", ", s.tags()));
            }
            if (!s.note().isEmpty()) {
                out.printf("Note: %s%n", s.note());
            }
            for (EpochMetrics e : d.history().epochs()) {
                out.println(e.lectureLine());
            }
            for (RunEvent e : d.history().events()) {
                if (e instanceof RunEvent.ControlChanged c) {
                    out.printf("Control at iteration %d: %s%n", c.iteration(), c.label());
                } else if (e instanceof RunEvent.Rewound r) {
                    out.printf("Rewound at iteration %d to iteration %d: %s%n", r.iteration(), r.toIteration(), r.reason());
                } else if (e instanceof RunEvent.Diverged v) {
                    out.printf("Diverged at iteration %d: %s%n", v.iteration(), v.reason());
                }
            }
            for (Finding f : d.findings()) {
                out.println("assistant: " + f.line());
            }
            if (iterations) {
                out.print(d.history().toCsv());
            }
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Runs side by side: only the settings that differ among them, then the final loss, the best"
                    + " validation accuracy, the epochs done and the state; --csv writes their curves.")
    static final class Compare extends OnStore {
        @Parameters(paramLabel = "ID", arity = "2..*", description = "The runs to compare (runs list shows the ids).")
        List<Long> ids;

        @Option(names = "--csv", paramLabel = "FILE", description = "Also write the curves, one column a run: iteration,"
                + " loss_run_ID..., val_run_ID... (a run's validation accuracy on the row of the iteration that ended its epoch).")
        Path csv;

        @Override
        void on(RunStore store, PrintWriter out) throws IOException {
            List<RunDetail> runs = new java.util.ArrayList<>();
            for (long id : ids.stream().distinct().toList()) {
                runs.add(store.detail(id)); // an unknown id: one message, nothing printed or written
            }
            ConfigDiff diff = new ConfigDiff(runs.stream().map(ConfigDiff.Config::of).toList());
            List<String> header = new java.util.ArrayList<>(List.of("id", "name"));
            header.addAll(diff.differing());
            header.addAll(List.of("final loss", "best val", "epochs", "state"));
            List<List<String>> rows = new java.util.ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                RunDetail d = runs.get(i);
                RunSummary s = d.summary();
                List<String> row = new java.util.ArrayList<>(List.of(Long.toString(s.id()), ListRuns.cut(s.name(), 24)));
                for (String f : diff.differing()) {
                    row.add(diff.value(i, f));
                }
                List<org.babysitter.engine.metrics.IterationMetrics> its = d.history().iterations();
                row.add(its.isEmpty() ? "-" : String.format(Locale.ROOT, "%.4f", its.get(its.size() - 1).loss()));
                row.add(Double.isNaN(s.bestVal()) ? "-" : String.format(Locale.ROOT, "%.6f", s.bestVal()));
                row.add(s.epochsDone() + "/" + s.epochs());
                row.add(s.state().word());
                rows.add(row);
            }
            int[] width = new int[header.size()];
            for (List<String> r : concat(header, rows)) {
                for (int c = 0; c < r.size(); c++) {
                    width[c] = Math.max(width[c], r.get(c).length());
                }
            }
            for (List<String> r : concat(header, rows)) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < r.size(); c++) {
                    line.append(c == 0 ? "" : "  ").append(c == 0 ? pad(r.get(c), width[c], true) : pad(r.get(c), width[c], false));
                }
                out.println(line.toString().stripTrailing());
            }
            if (diff.differing().isEmpty()) {
                out.println("(the same config)");
            }
            if (csv != null) {
                AtomicFiles.writeString(csv, curves(runs));
                out.println("Curves written to " + csv);
            }
        }

        private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
            List<List<String>> all = new java.util.ArrayList<>();
            all.add(header);
            all.addAll(rows);
            return all;
        }

        private static String pad(String s, int width, boolean right) {
            String fill = " ".repeat(width - s.length());
            return right ? fill + s : s + fill;
        }

        /** The CSV of the runs' curves: a row per iteration any of them recorded, empty where a run has none. */
        static String curves(List<RunDetail> runs) {
            java.util.TreeMap<Integer, String[]> byIteration = new java.util.TreeMap<>();
            int n = runs.size();
            for (int r = 0; r < n; r++) {
                for (org.babysitter.engine.metrics.IterationMetrics m : runs.get(r).history().iterations()) {
                    byIteration.computeIfAbsent(m.iteration(), k -> new String[2 * n])[r] = RunHistory.num(m.loss());
                }
                for (EpochMetrics e : runs.get(r).history().epochs()) {
                    byIteration.computeIfAbsent(e.iteration(), k -> new String[2 * n])[n + r] = RunHistory.num(e.valAccuracy());
                }
            }
            StringBuilder sb = new StringBuilder("iteration");
            runs.forEach(d -> sb.append(",loss_run_").append(d.summary().id()));
            runs.forEach(d -> sb.append(",val_run_").append(d.summary().id()));
            sb.append('\n');
            byIteration.forEach((it, cells) -> {
                sb.append(it);
                for (String c : cells) {
                    sb.append(',').append(c == null ? "" : c);
                }
                sb.append('\n');
            });
            return sb.toString();
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a run into a folder: run-ID.csv (every iteration), run-ID.json (configs, summary, findings)"
                    + " and, if stored, its best parameters as the checkpoint run-ID-best.npz + .json; all or nothing.")
    static final class Export extends OnStore {
        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = "--to", paramLabel = "FOLDER", required = true, description = "Where to write (made if needed).")
        Path to;

        @Option(names = "--overwrite", description = "Replace files of the same names.")
        boolean overwrite;

        @Override
        void on(RunStore store, PrintWriter out) throws IOException {
            List<Path> files = store.export(id, to, overwrite);
            out.printf("Exported run %d: %s%n", id, String.join(", ", files.stream().map(Path::toString).toList()));
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Give a run another name.")
    static final class Rename extends OnStore {
        @Parameters(index = "0", paramLabel = "ID")
        long id;
        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        void on(RunStore store, PrintWriter out) throws IOException {
            store.rename(id, name);
            out.printf("Run %d is now named %s%n", id, name.strip());
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Add tags to a run.")
    static final class Tag extends OnStore {
        @Parameters(index = "0", paramLabel = "ID")
        long id;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TAG")
        List<String> tags;

        @Override
        void on(RunStore store, PrintWriter out) throws IOException {
            store.tag(id, tags);
            out.printf("Run %d tagged %s%n", id, String.join(", ", store.detail(id).summary().tags()));
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Set a run's note (\"\" clears it).")
    static final class Note extends OnStore {
        @Parameters(index = "0", paramLabel = "ID")
        long id;
        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Override
        void on(RunStore store, PrintWriter out) throws IOException {
            store.note(id, text);
            out.printf("Run %d's note %s%n", id, text.isEmpty() ? "cleared" : "saved");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a run (undelete brings it back); --purge removes the deleted runs for good.")
    static final class Delete extends OnStore {
        @Parameters(paramLabel = "ID", arity = "0..1")
        Long id;
        @Option(names = "--purge", description = "Then remove every deleted run for good, with its metrics and parameters.")
        boolean purge;

        @Override
        void on(RunStore store, PrintWriter out) throws IOException {
            if (id == null && !purge) {
                throw new IllegalArgumentException("name the run to delete (runs delete ID), or --purge");
            }
            if (id != null) {
                store.delete(id);
                out.printf("Deleted run %d%s%n", id, purge ? "" : " (runs undelete " + id + " brings it back)");
            }
            if (purge) {
                int n = store.purge();
                out.printf("Purged %d deleted run%s%n", n, n == 1 ? "" : "s");
            }
        }
    }

    @Command(name = "undelete", mixinStandardHelpOptions = true, description = "Bring back a deleted run (not after --purge).")
    static final class Undelete extends OnStore {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        void on(RunStore store, PrintWriter out) throws IOException {
            store.undelete(id);
            out.printf("Run %d is back%n", id);
        }
    }
}
