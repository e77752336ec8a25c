package org.babysitter.app.panels;

import java.util.Locale;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

import org.babysitter.app.session.RunViewModel;
import org.babysitter.app.session.BackgroundJobs;
import org.babysitter.app.session.Workbench;

/** Epoch and iteration progress, examples per second, elapsed time, ETA, the GEMM backend, background jobs. */
public final class StatusBar {
    private final HBox bar;

    /** How long a line about something done stays before the bar goes back to the run's state alone. */
    static final javafx.util.Duration STATUS_FADE = javafx.util.Duration.seconds(10);

    public StatusBar(Workbench workbench) {
        RunViewModel r = workbench.run().view();
        BackgroundJobs jobs = workbench.jobs();
        Label state = new Label();
        state.setId("status-state");
        state.textProperty().bind(Bindings.createStringBinding(() -> capitalise(r.stateProperty().get().toString()), r.stateProperty()));
        state.getStyleClass().add("status-state");
        Label epoch = new Label();
        epoch.setId("status-epoch");
        epoch.textProperty().bind(Bindings.createStringBinding(() -> r.epochsProperty().get() == 0 ? "" :
                        String.format(Locale.ROOT, "epoch %d / %d", r.epochProperty().get(), r.epochsProperty().get()),
                r.epochProperty(), r.epochsProperty()));
        Label iteration = new Label();
        iteration.setId("status-iteration");
        iteration.textProperty().bind(Bindings.createStringBinding(() -> r.totalIterationsProperty().get() == 0 ? "" :
                        String.format(Locale.ROOT, "iteration %,d / %,d", r.iterationProperty().get(), r.totalIterationsProperty().get()),
                r.iterationProperty(), r.totalIterationsProperty()));
        ProgressBar progress = new ProgressBar();
        progress.setId("status-progress");
        progress.progressProperty().bind(r.progressProperty());
        progress.setPrefWidth(140);
        Label speed = new Label();
        speed.setId("status-speed");
        speed.textProperty().bind(Bindings.createStringBinding(() -> r.examplesPerSecondProperty().get() <= 0 ? "" :
                String.format(Locale.ROOT, "%,.0f examples/s", r.examplesPerSecondProperty().get()), r.examplesPerSecondProperty()));
        Label elapsed = new Label();
        elapsed.textProperty().bind(Bindings.createStringBinding(() -> r.elapsedProperty().get().isEmpty() ? ""
                : "elapsed " + r.elapsedProperty().get(), r.elapsedProperty()));
        Label eta = new Label();
        eta.setId("status-eta");
        eta.textProperty().bind(Bindings.createStringBinding(() -> r.etaProperty().get().isEmpty() ? ""
                : "ETA " + r.etaProperty().get(), r.etaProperty()));
        Label gemm = new Label();
        gemm.textProperty().bind(Bindings.concat("GEMM ", r.gemmProperty()));
        gemm.getStyleClass().add("small");

        Label job = new Label();
        job.setId("status-job");
        job.setMinWidth(0);
        job.setMaxWidth(420);
        // a job under way shows what it does; otherwise the last thing done, for a few seconds
        javafx.animation.PauseTransition fade = new javafx.animation.PauseTransition(STATUS_FADE);
        fade.setOnFinished(e -> job.setText(""));
        Runnable showStatus = () -> {
            if (jobs.runningProperty().get()) {
                fade.stop();
                job.setText(jobs.messageProperty().get());
            } else {
                job.setText(workbench.statusProperty().get());
                fade.playFromStart();
            }
        };
        workbench.statusProperty().addListener((o, a, b) -> showStatus.run());
        jobs.messageProperty().addListener((o, a, b) -> showStatus.run());
        jobs.runningProperty().addListener((o, a, b) -> showStatus.run());
        job.textProperty().addListener((o, a, b) -> job.setTooltip(b.isEmpty() ? null : new javafx.scene.control.Tooltip(b)));
        ProgressBar jobProgress = new ProgressBar();
        jobProgress.progressProperty().bind(jobs.progressProperty());
        jobProgress.setPrefWidth(90);
        Button cancel = new Button("Cancel");
        cancel.setId("cancel-job");
        cancel.setOnAction(e -> jobs.cancelAll());
        cancel.setFocusTraversable(false);
        for (var n : new javafx.scene.Node[] {jobProgress, cancel}) {
            n.visibleProperty().bind(jobs.runningProperty());
            n.managedProperty().bind(jobs.runningProperty());
        }
        for (Label l : new Label[] {state, epoch, iteration, speed, elapsed, eta, gemm}) {
            l.setMinWidth(Region.USE_PREF_SIZE); // the run's figures never get cut; the job message gives way
        }
        Label store = new Label();
        store.setId("status-store");
        store.getStyleClass().add("small");
        store.setMinWidth(Region.USE_PREF_SIZE); // never cut: the job message gives way
        // recording or not, in one word; the whole sentence (where, or why not) as a tooltip
        store.textProperty().bind(Bindings.createStringBinding(() -> workbench.runs().openProperty().get() ? "recording"
                : "not recording", workbench.runs().openProperty()));
        store.tooltipProperty().bind(Bindings.createObjectBinding(() -> new javafx.scene.control.Tooltip(
                workbench.runs().recordingProperty().get()), workbench.runs().recordingProperty()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        bar = new HBox(10, state, epoch, iteration, progress, speed, elapsed, eta, new Separator(javafx.geometry.Orientation.VERTICAL),
                gemm, new Separator(javafx.geometry.Orientation.VERTICAL), store, spacer, job, jobProgress, cancel);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));
        bar.getStyleClass().add("status-bar");
        bar.setId("status-bar");
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public HBox node() {
        return bar;
    }
}
