package org.babysitter.app.panels;

import java.util.List;
import java.util.Locale;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import org.babysitter.app.charts.SearchCharts;
import org.babysitter.app.session.RandomVsGridDemo;
import org.babysitter.app.session.TrialRow;

/**
 * The random vs grid experiment of the command center (the lecture's picture): its budget, Run and Cancel, the
 * progress, then the grid's and the random search's lr x reg side by side, each with its best val accuracy and its
 * distinct learning rates, and the conclusion under them. Bound to {@link RandomVsGridDemo}.
 */
public final class RandomVsGridView {
    private final VBox box = new VBox(6);
    private final RandomVsGridDemo demo;
    private final SearchCharts.Scatter grid = new SearchCharts.Scatter();
    private final SearchCharts.Scatter random = new SearchCharts.Scatter();
    private final Label gridText = new Label();
    private final Label randomText = new Label();
    private final RedrawOnce redraws = new RedrawOnce(this::redraw);

    public RandomVsGridView(RandomVsGridDemo demo) {
        this.demo = demo;
        grid.setTitle("Grid search: lr x reg");
        random.setTitle("Random search: lr x reg");
        grid.node().setId("rvg-grid");
        random.node().setId("rvg-random");
        gridText.setId("rvg-grid-text");
        randomText.setId("rvg-random-text");
        ChoiceBox<Integer> budget = new ChoiceBox<>();
        budget.getItems().addAll(4, 9, 16, 25);
        budget.setId("rvg-budget");
        budget.setValue(demo.budgetProperty().get());
        budget.valueProperty().addListener((o, a, b) -> demo.budgetProperty().set(b));
        Button run = new Button("Run both");
        run.setId("rvg-run");
        run.setOnAction(e -> demo.start());
        run.disableProperty().bind(demo.runningProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("rvg-cancel");
        cancel.setOnAction(e -> demo.cancel());
        cancel.disableProperty().bind(demo.runningProperty().not());
        Label summary = new Label();
        summary.setId("rvg-summary");
        summary.textProperty().bind(demo.summaryProperty());
        Label caption = new Label("The same budget as a k x k grid and as random trials, over the form's lr and reg ranges,"
                + " epochs, images and seed: random search tries a new learning rate every trial.");
        caption.getStyleClass().add("caption");
        caption.setWrapText(true);
        Label conclusion = new Label();
        conclusion.setId("rvg-conclusion");
        conclusion.setStyle("-fx-font-weight: bold;");
        conclusion.setWrapText(true);
        conclusion.textProperty().bind(demo.conclusionProperty());
        HBox controls = new HBox(8, new Label("Trials each"), budget, run, cancel, summary);
        controls.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        HBox sides = new HBox(10, new VBox(4, grid.node(), gridText), new VBox(4, random.node(), randomText));
        box.getChildren().addAll(caption, controls, sides, conclusion);
        box.setPadding(new Insets(6));
        box.setId("rvg-panel");
        demo.gridRows().addListener((ListChangeListener<TrialRow>) c -> redraws.ask());
        demo.randomRows().addListener((ListChangeListener<TrialRow>) c -> redraws.ask());
    }

    /** Both sides drawn again (once per batch of row changes, {@link RedrawOnce}). */
    private void redraw() {
        // one lr and one reg range, and one colour scale, for both sides: the lecture's picture compares them
        List<TrialRow> all = new java.util.ArrayList<>(demo.gridRows());
        all.addAll(demo.randomRows());
        double[] accuracies = all.stream().filter(r -> r.ended() && !r.diverged() && !"failed".equals(r.state()))
                .mapToDouble(r -> Double.isNaN(r.best()) ? 0 : r.best()).toArray();
        if (accuracies.length > 0) {
            double low = java.util.Arrays.stream(accuracies).min().orElseThrow();
            double high = java.util.Arrays.stream(accuracies).max().orElseThrow();
            grid.setAccuracyScale(low, high);
            random.setAccuracyScale(low, high);
        }
        grid.show(demo.gridRows());
        random.show(demo.randomRows());
        if (!all.isEmpty()) {
            double lrLow = all.stream().mapToDouble(TrialRow::lr).min().orElseThrow();
            double lrHigh = all.stream().mapToDouble(TrialRow::lr).max().orElseThrow();
            double regLow = all.stream().mapToDouble(TrialRow::reg).min().orElseThrow();
            double regHigh = all.stream().mapToDouble(TrialRow::reg).max().orElseThrow();
            grid.setRanges(lrLow, lrHigh, regLow, regHigh);
            random.setRanges(lrLow, lrHigh, regLow, regHigh);
        }
        gridText.setText(describe("Grid", demo.gridRows()));
        randomText.setText(describe("Random", demo.randomRows()));
    }

    /** "Random: 9 trials, best val acc 0.412, 9 distinct lr values". */
    static String describe(String side, List<TrialRow> rows) {
        double best = rows.stream().filter(r -> r.ended() && !Double.isNaN(r.best())).mapToDouble(TrialRow::best).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%s: %d trials, best val acc %s, %d distinct lr values", side, rows.size(),
                Double.isNaN(best) ? "-" : String.format(Locale.ROOT, "%.3f", best), RandomVsGridDemo.distinctLr(rows));
    }

    public Node node() {
        return box;
    }

    public SearchCharts.Scatter grid() {
        return grid;
    }

    public SearchCharts.Scatter random() {
        return random;
    }

    /** The text under each side (tests): grid, random. */
    public List<String> texts() {
        return List.of(gridText.getText(), randomText.getText());
    }
}
