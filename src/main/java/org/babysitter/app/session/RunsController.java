package org.babysitter.app.session;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.babysitter.engine.runs.ConfigDiff;
import org.babysitter.engine.runs.RunDetail;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.runs.RunSummary;

/**
 * The window's run store: the workspace folder it lives in, the runs it lists, and what the runs panel does with them
 * (rename, tag, note, delete and undo, export, reopen in the charts, compare on the charts). Every store call runs as a {@link BackgroundJobs}
 * job, never on the FX thread (opening may wait on another process's commit; reading a run's history is many rows);
 * results come back on the FX thread. A store that cannot be opened leaves the window working, unrecorded, and says so.
 * FX thread.
 */
public final class RunsController {
    private final BackgroundJobs jobs;
    private final RunController run;
    private final Consumer<Notice> notices;
    private final Consumer<String> status;
    private final ObservableList<RunSummary> runs = FXCollections.observableArrayList();
    private final ObjectProperty<Path> workspace = new SimpleObjectProperty<>();
    private final StringProperty recording = new SimpleStringProperty("Not recording: no workspace opened.");
    private final BooleanProperty open = new SimpleBooleanProperty();
    private final BooleanProperty canUndoDelete = new SimpleBooleanProperty();
    private final Deque<Long> deleted = new ArrayDeque<>();
    /** At most this many runs are drawn on the charts beside the live run (each one a colour of its own). */
    public static final int MAX_COMPARED = 8;
    /** The runs drawn on the charts beside the live run; new runs do not clear them. */
    private final ObservableList<ComparedRun> compared = FXCollections.observableArrayList();
    private final ObservableList<ComparedRun> comparedView = FXCollections.unmodifiableObservableList(compared);
    /** Runs being read to be compared: each is added once read, unless removed meanwhile. */
    private final java.util.Set<Long> reading = new java.util.LinkedHashSet<>();
    /** The open store (null: none); the trainer thread reads the one it records into through {@link RunController}. */
    private RunStore store;
    /** A store being opened: closed-and-opened stores come back in order, so the last one asked for wins. */
    private long opening;

    RunsController(BackgroundJobs jobs, RunController run, Consumer<Notice> notices, Consumer<String> status) {
        this.jobs = jobs;
        this.run = run;
        this.notices = notices;
        this.status = status;
        run.shownConfigProperty().addListener((o, a, b) -> relabel()); // the live run is one of those compared
        // a branch from a fork point: the other branches from it drawn beside, so the charts show where they part
        run.otherBranchesProperty().addListener((o, a, ids) -> {
            List<Long> missing = ids.stream().filter(id -> compared.stream().noneMatch(c -> c.id() == id)).toList();
            if (!missing.isEmpty() && store != null) {
                compare(missing);
            }
        });
    }

    /**
     * Opens the store in {@code folder} in the background (closing the one open), and records the next runs into it.
     * Refused while a run trains (its recorder belongs to the store open). A store that cannot be opened (not a store,
     * a newer schema, no permission) is one notice; the window goes on without recording and says so.
     */
    public void open(Path folder) {
        if (run.view().stateProperty().get().active()) {
            notices.accept(new Notice("Workspace", "A run is training and is recorded in " + workspace.get()
                    + ". Change the workspace when it has ended.", true));
            return;
        }
        RunStore old = store;
        store = null;
        run.recordInto(null);
        open.set(false);
        runs.clear();
        deleted.clear();
        canUndoDelete.set(false);
        clearCompared(); // their ids are the old store's
        long asked = ++opening;
        recording.set("Opening the run store in " + folder + "...");
        jobs.start("Opening the run store", p -> {
            if (old != null) {
                old.close();
            }
            RunStore s = RunStore.open(folder);
            return new Opened(s, s.list(false));
        }, new BackgroundJobs.Outcome<Opened>() {
            @Override
            public void succeeded(Opened o) {
                if (asked != opening) {
                    closeQuietly(o.store()); // another folder was asked for meanwhile
                    return;
                }
                store = o.store();
                run.recordInto(store);
                workspace.set(folder);
                open.set(true);
                runs.setAll(o.runs());
                recording.set("Recording runs in " + store.file());
            }

            @Override
            public void failed(String message) {
                if (asked != opening) {
                    return;
                }
                workspace.set(folder);
                recording.set("Not recording: the run store in " + folder + " cannot be opened.");
                notices.accept(new Notice("Run store", "The runs in " + folder + " cannot be opened:\n" + message
                        + "\n\nRuns still train, but they are not recorded. File > Workspace... opens another folder.", true));
            }
        });
    }

    /** A store just opened and its runs. */
    private record Opened(RunStore store, List<RunSummary> runs) {
        Opened {
            if (store == null) {
                throw new IllegalArgumentException("an opened store is a store");
            }
            runs = List.copyOf(runs);
        }
    }

    private static void closeQuietly(RunStore s) {
        new Thread(() -> {
            try {
                s.close();
            } catch (java.io.IOException e) {
                // a store nobody uses: nothing to tell
            }
        }, "babysitter-store-close").start();
    }

    /** Lists the runs again, in the background. */
    public void refresh() {
        RunStore s = store;
        if (s == null) {
            return;
        }
        jobs.start("Listing the runs", p -> s.list(false), new BackgroundJobs.Outcome<List<RunSummary>>() {
            @Override
            public void succeeded(List<RunSummary> list) {
                if (s == store) {
                    runs.setAll(list);
                }
            }

            @Override
            public void failed(String message) {
                status.accept("Could not list the runs: " + message);
            }
        });
    }

    /** A change to one run, in the background, then the list again; {@code done} is said in the status bar. */
    private void change(String title, StoreTask task, String done) {
        RunStore s = store;
        if (s == null) {
            notices.accept(new Notice("Runs", "No run store is open: " + recording.get(), true));
            return;
        }
        jobs.start(title, p -> {
            task.run(s);
            return s.list(false);
        }, new BackgroundJobs.Outcome<List<RunSummary>>() {
            @Override
            public void succeeded(List<RunSummary> list) {
                if (s == store) {
                    runs.setAll(list);
                }
                status.accept(done);
            }

            @Override
            public void failed(String message) {
                notices.accept(new Notice(title, message, true));
            }
        });
    }

    /** Something done to the store off the FX thread. */
    @FunctionalInterface
    private interface StoreTask {
        void run(RunStore store) throws Exception;
    }

    public void rename(long id, String name) {
        if (name == null || name.isBlank()) {
            notices.accept(new Notice("Rename", "A run's name cannot be empty.", true));
            return;
        }
        change("Renaming run " + id, s -> s.rename(id, name), "Run " + id + " renamed \"" + name.strip() + "\".");
    }

    /** Makes the run's tags exactly {@code tags} (blank ones dropped): the new ones added, the missing ones removed. */
    public void setTags(long id, List<String> tags) {
        List<String> wanted = tags.stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
        change("Tagging run " + id, s -> {
            List<String> now = s.list(true).stream().filter(r -> r.id() == id).findFirst().map(RunSummary::tags).orElse(List.of());
            for (String t : now) {
                if (!wanted.contains(t)) {
                    s.untag(id, t);
                }
            }
            s.tag(id, wanted);
        }, "Run " + id + " tagged " + (wanted.isEmpty() ? "with nothing" : String.join(", ", wanted)) + ".");
    }

    public void note(long id, String text) {
        change("Noting run " + id, s -> s.note(id, text), "Run " + id + "'s note saved.");
    }

    /** Deletes run {@code id} (softly: {@link #undoDelete} brings it back). A run training now is not deleted. */
    public void delete(long id) {
        if (recordingNow(id)) {
            notices.accept(new Notice("Delete", "Run " + id + " is training. Stop it first.", true));
            return;
        }
        deleted.push(id);
        canUndoDelete.set(true);
        remove(id); // a deleted run leaves the charts too
        change("Deleting run " + id, s -> s.delete(id), "Run " + id + " deleted (Undo delete, Ctrl+Z in the runs panel, brings it back).");
    }

    /** Brings back the last run deleted here. */
    public void undoDelete() {
        if (deleted.isEmpty()) {
            return;
        }
        long id = deleted.pop();
        canUndoDelete.set(!deleted.isEmpty());
        change("Bringing back run " + id, s -> s.undelete(id), "Run " + id + " is back.");
    }

    /** True if {@code id} is the run the window is recording now. */
    private boolean recordingNow(long id) {
        return run.view().stateProperty().get().active() && runs.stream().anyMatch(r -> r.id() == id
                && r.state() == org.babysitter.engine.runs.RunState.RUNNING);
    }

    /** Writes run {@code id} into {@code folder}: CSV, JSON and the best parameters' .npz (the store's export). */
    public void export(long id, Path folder) {
        RunStore s = store;
        if (s == null) {
            notices.accept(new Notice("Export", "No run store is open: " + recording.get(), true));
            return;
        }
        jobs.start("Exporting run " + id, p -> s.export(id, folder, false), new BackgroundJobs.Outcome<List<Path>>() {
            @Override
            public void succeeded(List<Path> files) {
                status.accept("Exported run " + id + " to " + folder + ": " + String.join(", ",
                        files.stream().map(f -> f.getFileName().toString()).toList()) + ".");
            }

            @Override
            public void failed(String message) {
                notices.accept(new Notice("Export", "Run " + id + " was not exported: " + message, true));
            }
        });
    }

    /**
     * Reopens run {@code id}: its history read in the background, then drawn in the charts as Undo reset draws a cleared
     * run (every chart, marker and finding replayed), read-only. Refused while a run trains.
     */
    public void reopen(long id) {
        reopen(id, d -> { });
    }

    /**
     * Reopens run {@code id} as {@link #reopen(long)} does; once it is drawn, {@code then} takes what was read (the
     * search panel puts the run's config in the forms).
     */
    public void reopen(long id, Consumer<RunDetail> then) {
        RunStore s = store;
        if (s == null) {
            return;
        }
        if (run.view().stateProperty().get().active()) {
            notices.accept(new Notice("Reopen", "A run is training: stop it before reopening another in the charts.", true));
            return;
        }
        jobs.start("Reading run " + id, p -> s.detail(id), new BackgroundJobs.Outcome<RunDetail>() {
            @Override
            public void succeeded(RunDetail d) {
                RunSummary r = d.summary();
                String banner = String.format(Locale.ROOT, "Run %d \"%s\" (%s%s), reopened from the run store: read-only, it"
                                + " cannot be continued (Start trains a new run with the controls' settings).", r.id(), r.name(),
                        r.state().word(), d.reason().isEmpty() ? "" : ": " + d.reason());
                if (run.showRecorded(d.history(), d.data().name(), banner)) {
                    status.accept("Reopened run " + id + ".");
                    then.accept(d);
                } else {
                    notices.accept(new Notice("Reopen", "A run is training: stop it before reopening another in the charts.", true));
                }
            }

            @Override
            public void failed(String message) {
                notices.accept(new Notice("Reopen", "Run " + id + " cannot be reopened: " + message, true));
            }
        });
    }

    /**
     * Draws runs {@code ids} on the charts beside the live run: each one's history read in the background (as
     * {@link #reopen} reads it), then its loss, accuracies and update ratios drawn in a colour of its own, named by how
     * its config differs from the others' ({@link ConfigDiff}), kept while new runs train until {@link #remove} or
     * {@link #clearCompared}. A run already compared (or being read) is not added twice; more than
     * {@link #MAX_COMPARED} is refused with a notice. Allowed while a run trains (it only adds lines beside its own).
     */
    public void compare(List<Long> ids) {
        RunStore s = store;
        if (s == null) {
            notices.accept(new Notice("Compare", "No run store is open: " + recording.get(), true));
            return;
        }
        List<Long> wanted = ids.stream().distinct()
                .filter(id -> !reading.contains(id) && compared.stream().noneMatch(c -> c.id() == id)).toList();
        if (wanted.isEmpty()) {
            status.accept(ids.size() == 1 ? "Run " + ids.get(0) + " is on the charts already." : "These runs are on the charts already.");
            return;
        }
        if (compared.size() + reading.size() + wanted.size() > MAX_COMPARED) {
            notices.accept(new Notice("Compare", "At most " + MAX_COMPARED + " runs are drawn on the charts at once ("
                    + (compared.size() + reading.size()) + " are, " + wanted.size() + " more asked for). Remove some from the"
                    + " charts first (Remove from charts, Clear comparison).", true));
            return;
        }
        reading.addAll(wanted);
        jobs.start(wanted.size() == 1 ? "Reading run " + wanted.get(0) : "Reading runs " + wanted, p -> {
            List<ComparedRun> read = new ArrayList<>();
            for (long id : wanted) {
                read.add(ComparedRun.of(s.detail(id), null));
            }
            return read;
        }, new BackgroundJobs.Outcome<List<ComparedRun>>() {
            @Override
            public void succeeded(List<ComparedRun> read) {
                List<ComparedRun> still = read.stream().filter(c -> reading.remove(c.id())).toList(); // not removed meanwhile
                if (!still.isEmpty() && s == store) {
                    compared.addAll(still);
                    relabel();
                    status.accept((still.size() == 1 ? "Run " + still.get(0).id() + " is" : "Runs "
                            + String.join(", ", still.stream().map(c -> Long.toString(c.id())).toList()) + " are")
                            + " on the charts (Remove from charts, Clear comparison take them off).");
                }
            }

            @Override
            public void failed(String message) {
                wanted.forEach(reading::remove);
                notices.accept(new Notice("Compare", (wanted.size() == 1 ? "Run " + wanted.get(0) : "Runs " + wanted)
                        + " cannot be read: " + message, true));
            }
        });
    }

    /** Keeps run {@code id} on the charts as a reference while new runs train: {@link #compare} of one run. */
    public void keepAsReference(long id) {
        compare(List.of(id));
    }

    /**
     * Draws {@code run}, ready made (a fork's parent, say), on the charts: it replaces a compared run of the same id,
     * else it is added (refused with a notice beyond {@link #MAX_COMPARED}). One with a config is named by how it
     * differs from the others; one without keeps its label.
     */
    public void show(ComparedRun run) {
        for (int i = 0; i < compared.size(); i++) {
            if (compared.get(i).id() == run.id()) {
                compared.set(i, run);
                relabel();
                return;
            }
        }
        if (compared.size() >= MAX_COMPARED) {
            notices.accept(new Notice("Compare", "At most " + MAX_COMPARED + " runs are drawn on the charts at once: remove"
                    + " one first (Remove from charts).", true));
            return;
        }
        reading.remove(run.id());
        compared.add(run);
        relabel();
    }

    /** Takes run {@code id} off the charts (and forgets it if it is being read). */
    public void remove(long id) {
        reading.remove(id);
        if (compared.removeIf(c -> c.id() == id)) {
            relabel();
        }
    }

    /** Takes every compared run off the charts (and forgets those being read). */
    public void clearCompared() {
        reading.clear();
        compared.clear();
    }

    /**
     * Names each compared run by how its config differs from the other compared runs' and the live run's, if the
     * charts show one trained here ("run 3: lr 1e-3"); runs of unknown config keep their labels. A run alone is named
     * by its lr and reg.
     */
    private void relabel() {
        List<ComparedRun> known = compared.stream().filter(c -> c.config() != null).toList();
        if (known.isEmpty()) {
            return;
        }
        List<ConfigDiff.Config> configs = new ArrayList<>(known.stream().map(ComparedRun::config).toList());
        ConfigDiff.Config live = run.shownConfigProperty().get();
        if (live != null) {
            configs.add(live); // last: the compared runs keep their indices
        }
        ConfigDiff diff = new ConfigDiff(configs);
        List<ComparedRun> named = new ArrayList<>();
        int k = 0;
        for (ComparedRun c : compared) {
            if (c.config() == null) {
                named.add(c);
                continue;
            }
            String differs = diff.describe(k++);
            // a branch's title says what it changed at its fork, which its config does not
            boolean branch = c.title().endsWith(")");
            named.add(c.withLabel(branch && differs.startsWith("same config") ? c.title() : c.title() + ": " + differs));
        }
        if (!named.stream().map(ComparedRun::label).toList().equals(compared.stream().map(ComparedRun::label).toList())) {
            compared.setAll(named);
        }
    }

    /** The runs drawn on the charts beside the live run, in the order they were added; read-only (FX thread). */
    public ObservableList<ComparedRun> compared() {
        return comparedView;
    }

    /** From the pump: the trainer thread recorded a run's start or end; the list shows it. */
    void recorded(UiMessage.RunRecorded m) {
        if (!m.problem().isEmpty()) {
            status.accept("Run store: " + m.problem());
            if (m.ended()) {
                recording.set("Recording runs in " + (store == null ? "?" : store.file()) + " (the last run: " + m.problem() + ")");
            }
        }
        refresh();
    }

    /**
     * The window is closing: waits (on a thread of its own that keeps the process alive, never on the FX thread) up to
     * {@code waitMillis} for the stopped run's trainer to end, so that its recording ends "stopped" with its end
     * committed, then closes the store. A trainer that does not end in time leaves its run "running" until the store is
     * next opened, which marks it "interrupted". Returns the closing thread (null if no store is open).
     */
    Thread close(Thread trainer, long waitMillis) {
        return close(trainer, new java.util.concurrent.CountDownLatch(0), waitMillis);
    }

    /**
     * As {@link #close(Thread, long)}, also waiting (within the same time) for {@code search} to be counted down: the
     * search's trials, stopped, end recorded as cancelled, so that a resumed search runs them again.
     */
    Thread close(Thread trainer, java.util.concurrent.CountDownLatch search, long waitMillis) {
        RunStore s = store;
        store = null;
        run.recordInto(null);
        if (s == null) {
            return null;
        }
        Thread t = new Thread(() -> {
            try {
                long until = System.nanoTime() + waitMillis * 1_000_000L;
                if (trainer != null) {
                    trainer.join(waitMillis);
                }
                search.await(Math.max(0, until - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                s.close();
            } catch (java.io.IOException e) {
                System.err.println("Babysitter: closing the run store: " + e.getMessage());
            }
        }, "babysitter-store-close");
        t.start(); // not a daemon: the process ends once the store is closed
        return t;
    }

    /** The open store, null if none (FX thread: hand it to a background job, never use it here). */
    RunStore store() {
        return store;
    }

    /** The runs listed, newest first. */
    public ObservableList<RunSummary> runs() {
        return runs;
    }

    /** The workspace folder asked for last (its store open or not). */
    public ReadOnlyObjectProperty<Path> workspaceProperty() {
        return workspace;
    }

    /** True while a store is open (runs are recorded). */
    public ReadOnlyBooleanProperty openProperty() {
        return open;
    }

    /** Where runs are recorded, or why not, in words (the status bar and the runs panel show it). */
    public ReadOnlyStringProperty recordingProperty() {
        return recording;
    }

    public ReadOnlyBooleanProperty canUndoDeleteProperty() {
        return canUndoDelete;
    }

    /** The ids deleted here, the last first (tests). */
    List<Long> deletedIds() {
        return new ArrayList<>(deleted);
    }
}
