package org.babysitter.app.panels;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import org.babysitter.app.charts.OverfitChart;
import org.babysitter.app.charts.SweepChart;
import org.babysitter.app.session.ChecksController;
import org.babysitter.app.session.SanityWizardViewModel;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.Numbers;
import org.babysitter.engine.diagnosis.LearningRateSweep;

/**
 * The sanity-check wizard's panel: Run (again), Cancel and Export... above four numbered rows (the step and what it
 * expects, its status, the one-line reason), then step 3's loss curve and step 4's sweep with a button that makes the
 * suggested rate the lr. Bound to {@link SanityWizardViewModel}; the steps fill in as they finish.
 */
public final class SanityWizardView {
    private static final double CHART_HEIGHT = 300;
    private static final double SWEEP_WIDTH = 560;
    private static final double CURVE_WIDTH = 420;
    /** The sweep's suggestion and button above its chart: two lines of text. */
    private static final double ROW_ABOVE_CHARTS = 40;

    /** How much larger the panel draws in presentation mode (its fonts, columns and charts). */
    private static final double PRESENTATION_SCALE = 1.2;

    private final VBox box = new VBox(10);
    private final Button run;
    private final SanityWizardViewModel model;
    private final ColumnConstraints[] columns = {new ColumnConstraints(), new ColumnConstraints(), new ColumnConstraints(),
            new ColumnConstraints()};
    private final StackPane curve = placeholder("Step 3 draws the overfitted images' loss here.");
    private final StackPane sweep = placeholder("Step 4 draws the loss after each rate's run here.");
    private final Label suggestion = new Label();
    private final HBox useRow;
    private double scale = 1;

    /** @param chooseFile where to export, asked of the user with the panel's window as owner */
    public SanityWizardView(Workbench workbench, Function<Window, Optional<Path>> chooseFile) {
        ChecksController checks = workbench.checks();
        model = checks.wizard();

        run = new Button("Run");
        run.setId("wizard-run");
        run.setDefaultButton(true);
        run.textProperty().bind(Bindings.when(model.reportProperty().isNull()).then("Run").otherwise("Run again"));
        run.disableProperty().bind(model.runningProperty());
        run.setOnAction(e -> checks.runWizard());
        Button cancel = new Button("Cancel");
        cancel.setId("wizard-cancel");
        cancel.disableProperty().bind(model.runningProperty().not());
        cancel.setOnAction(e -> checks.cancelWizard());
        Button export = new Button("Export...");
        export.setId("wizard-export");
        export.disableProperty().bind(model.runningProperty().or(model.reportProperty().isNull()));
        export.setOnAction(e -> chooseFile.apply(box.getScene().getWindow()).ifPresent(checks::exportWizard));
        Label summary = new Label();
        summary.setId("wizard-summary");
        summary.textProperty().bind(Bindings.when(model.runningProperty())
                .then(workbench.jobs().messageProperty()).otherwise(model.summaryProperty()));
        HBox buttons = new HBox(8, run, cancel, export, summary);
        buttons.setAlignment(Pos.CENTER_LEFT);

        GridPane steps = new GridPane();
        steps.setId("wizard-steps");
        steps.setHgap(12);
        steps.setVgap(8);
        steps.getColumnConstraints().addAll(columns);
        for (SanityWizardViewModel.Row row : model.rows()) {
            int r = row.number() - 1;
            Label number = new Label(row.number() + ".");
            number.getStyleClass().add("wizard-number");
            Label title = new Label();
            title.textProperty().bind(row.titleProperty());
            title.getStyleClass().add("wizard-title");
            Label expectation = new Label();
            expectation.textProperty().bind(Bindings.concat("Expected: ", row.expectationProperty()));
            expectation.setWrapText(true);
            expectation.getStyleClass().add("small");
            VBox what = new VBox(2, title, expectation);
            Label status = new Label();
            status.setId("wizard-status-" + row.number());
            status.textProperty().bind(Bindings.createStringBinding(() -> row.statusProperty().get().words(),
                    row.statusProperty()));
            row.statusProperty().addListener((o, a, b) -> style(status, b));
            style(status, row.statusProperty().get());
            status.setMinWidth(Label.USE_PREF_SIZE);
            Label reason = new Label();
            reason.setId("wizard-reason-" + row.number());
            reason.textProperty().bind(row.reasonProperty());
            reason.setWrapText(true);
            steps.addRow(r, number, what, status, reason);
            for (Node n : new Node[] {number, status, reason}) {
                GridPane.setValignment(n, VPos.TOP);
            }
            GridPane.setHalignment(status, HPos.CENTER);
        }

        curve.setId("wizard-overfit");
        model.overfitProperty().addListener((o, a, b) -> drawCharts());
        sweep.setId("wizard-sweep");
        Button use = new Button();
        use.setId("wizard-use-lr");
        use.setVisible(false);
        suggestion.setId("wizard-suggestion");
        suggestion.setWrapText(true);
        suggestion.setMinHeight(Label.USE_PREF_SIZE);
        model.sweepProperty().addListener((o, a, r) -> {
            drawCharts();
            showSuggestion(workbench, r, use, suggestion);
        });
        useRow = new HBox(8, use, suggestion);
        useRow.setAlignment(Pos.CENTER_LEFT);
        useRow.setMinHeight(ROW_ABOVE_CHARTS);
        VBox sweepBox = new VBox(4, useRow, sweep);
        VBox curveBox = new VBox(4, spacer(), curve);
        HBox charts = new HBox(12, curveBox, sweepBox);

        box.getChildren().addAll(buttons, steps, charts);
        box.setPadding(new Insets(8));
        box.setId("sanity-wizard");
        box.getStylesheets().add(SanityWizardView.class.getResource("/org/babysitter/app/babysitter.css").toExternalForm());
        layOut();
    }

    /**
     * Presentation mode (the window's F5): larger fonts, columns and charts, for a projector; the panel stays within a
     * 1280-pixel-wide screen.
     */
    public void setPresentation(boolean on) {
        scale = on ? PRESENTATION_SCALE : 1;
        box.getStyleClass().remove("presentation");
        if (on) {
            box.getStyleClass().add("presentation");
        }
        layOut();
        drawCharts();
        fitWindow();
    }

    /** If shown: the panel's window resized to its new size, within the screen (it scrolls beyond). */
    private void fitWindow() {
        javafx.scene.Parent p = box.getParent();
        while (p != null && !(p instanceof javafx.scene.control.ScrollPane)) {
            p = p.getParent();
        }
        if (p == null || box.getScene() == null || box.getScene().getWindow() == null) {
            return;
        }
        box.applyCss();
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        javafx.scene.control.ScrollPane scroll = (javafx.scene.control.ScrollPane) p;
        scroll.setPrefViewportWidth(Math.min(screen.getWidth() - 60, box.prefWidth(-1) + 20));
        scroll.setPrefViewportHeight(Math.min(screen.getHeight() - 220, box.prefHeight(-1)));
        box.getScene().getWindow().sizeToScene();
    }

    /** The columns' and charts' sizes at the panel's scale. */
    private void layOut() {
        double[] widths = {22, 400, 96, 430};
        for (int i = 0; i < widths.length; i++) {
            double w = widths[i] * scale;
            columns[i].setMinWidth(i == 1 || i == 3 ? w * 0.8 : w);
            columns[i].setPrefWidth(w);
            columns[i].setMaxWidth(w);
            columns[i].setHgrow(Priority.NEVER);
        }
        size(curve, CURVE_WIDTH * scale, CHART_HEIGHT * scale);
        size(sweep, SWEEP_WIDTH * scale, CHART_HEIGHT * scale);
        suggestion.setMaxWidth((SWEEP_WIDTH - 120) * scale);
        useRow.setMaxWidth(SWEEP_WIDTH * scale);
        useRow.setMinHeight(ROW_ABOVE_CHARTS * scale);
    }

    /** Step 3's curve and step 4's sweep, once they have run, at the panel's scale; else what will be there. */
    private void drawCharts() {
        var o = model.overfitProperty().get();
        curve.getChildren().setAll(o == null ? hint("Step 3 draws the overfitted images' loss here.")
                : OverfitChart.view(o, (float) scale));
        var r = model.sweepProperty().get();
        sweep.getChildren().setAll(r == null ? hint("Step 4 draws the loss after each rate's run here.")
                : SweepChart.view(r, (float) scale));
    }

    public Node node() {
        return box;
    }

    /** Puts the keyboard on Run (once shown): Enter runs the steps, and never closes the panel by accident. */
    public void focusRun() {
        run.requestFocus();
    }

    /** Where a chart will go: its size kept from the start, so that the panel does not jump when it comes. */
    private static StackPane placeholder(String text) {
        StackPane p = new StackPane(hint(text));
        p.getStyleClass().add("wizard-chart");
        return p;
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("small");
        return l;
    }

    private static void size(javafx.scene.layout.Region r, double width, double height) {
        r.setPrefSize(width, height);
        r.setMinSize(width, height);
    }

    /** As tall as the sweep's button row, so that the two charts line up. */
    private Node spacer() {
        javafx.scene.layout.Region r = new javafx.scene.layout.Region();
        r.minHeightProperty().bind(useRow.minHeightProperty());
        return r;
    }

    /** The suggestion in words and its button, which makes the rate the next run's (and a running one's). */
    private static void showSuggestion(Workbench workbench, LearningRateSweep.Result r, Button use, Label words) {
        if (r == null) {
            use.setVisible(false);
            words.setText("");
            return;
        }
        words.setText(r.suggestion());
        boolean any = !Double.isNaN(r.suggested());
        use.setVisible(any);
        use.setDisable(!any);
        if (any) {
            String lr = Numbers.exact(r.suggested());
            use.setText("Use lr " + lr);
            use.setOnAction(e -> {
                workbench.run().setLearningRate(r.suggested());
                use.setDisable(true);
                use.setText("lr " + lr + " set");
            });
        }
    }

    private static void style(Label status, SanityWizardViewModel.Status s) {
        status.getStyleClass().removeIf(c -> c.startsWith("wizard-status-"));
        status.getStyleClass().add("wizard-status-" + s.name().toLowerCase(java.util.Locale.ROOT));
    }
}
