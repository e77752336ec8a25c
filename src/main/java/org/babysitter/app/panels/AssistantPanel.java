package org.babysitter.app.panels;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.babysitter.app.session.RunController;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.diagnosis.Finding;

/**
 * The babysitting assistant beside the charts: what it said about the run, newest last, each finding with its rule,
 * where it fired, the value measured against the threshold, one suggestion, and a button where a control does it.
 */
public final class AssistantPanel {
    private final BorderPane pane = new BorderPane();
    private final ListView<Finding> list;

    public AssistantPanel(Workbench workbench) {
        RunController run = workbench.run();
        list = new ListView<>(run.view().findings());
        list.setId("assistant-findings");
        Label empty = new Label();
        empty.setId("assistant-empty");
        var state = run.view().stateProperty();
        empty.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> switch (state.get()) {
            case FINISHED, STOPPED, DIVERGED -> "Nothing wrong found in this run (Help > Assistant's rules lists what it checks).";
            default -> "Nothing to say yet: the assistant reads the run as it trains (Help > Assistant's rules).";
        }, state));
        list.setPlaceholder(empty);
        list.setCellFactory(v -> new FindingCell(run));
        list.setFocusTraversable(false);
        run.view().findings().addListener((javafx.collections.ListChangeListener<Finding>) c -> {
            if (!list.getItems().isEmpty()) {
                list.scrollTo(list.getItems().size() - 1);
            }
        });
        Label title = new Label("Assistant");
        title.getStyleClass().add("assistant-title");
        Label count = new Label();
        count.setId("assistant-count");
        count.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            long warnings = run.view().findings().stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
            int n = run.view().findings().size();
            return n == 0 ? "" : warnings + (warnings == 1 ? " warning, " : " warnings, ") + (n - warnings)
                    + (n - warnings == 1 ? " note" : " notes");
        }, run.view().findings()));
        count.getStyleClass().add("small");
        HBox head = new HBox(8, title, count);
        head.setAlignment(Pos.BASELINE_LEFT);
        head.setPadding(new Insets(2, 4, 2, 4));
        pane.setTop(head);
        pane.setCenter(list);
        pane.setId("assistant");
    }

    public Node node() {
        return pane;
    }

    /** Selects a finding and scrolls it into view (a click on its marker on a chart). */
    public void select(Finding f) {
        list.getSelectionModel().select(f);
        list.scrollTo(f);
    }

    /** One finding: its words on the left, the fix's button on the right. */
    private static final class FindingCell extends ListCell<Finding> {
        private final RunController run;

        FindingCell(RunController run) {
            this.run = run;
        }

        @Override
        protected void updateItem(Finding f, boolean empty) {
            super.updateItem(f, empty);
            setText(null);
            if (empty || f == null) {
                setGraphic(null);
                return;
            }
            Label head = new Label((f.severity() == Finding.Severity.WARNING ? "Warning" : "Note") + " at iteration "
                    + String.format(java.util.Locale.ROOT, "%,d", f.iteration()) + ": " + f.rule().title() + " (" + f.subject() + ")");
            head.getStyleClass().add(f.severity() == Finding.Severity.WARNING ? "finding-warning" : "finding-note");
            Label measured = new Label(f.measured() + "; threshold: " + f.threshold() + ".");
            measured.setWrapText(true);
            Label suggestion = new Label(f.suggestion());
            suggestion.setWrapText(true);
            suggestion.getStyleClass().add("finding-suggestion");
            for (Label l : new Label[] {measured, suggestion}) {
                l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // wrap onto more lines, not "..."
            }
            VBox words = new VBox(1, head, measured, suggestion);
            words.setMinWidth(0);
            HBox.setHgrow(words, Priority.ALWAYS);
            HBox row = new HBox(8, words);
            row.setAlignment(Pos.CENTER_LEFT);
            String fix = switch (f.fix()) {
                case NONE -> null;
                case LOWER_LR_10X -> "Lower lr 10x";
                case RAISE_LR_10X -> "Raise lr 10x";
                case LOWER_REG_10X -> "Lower reg 10x";
                case LOWER_LR_10X_RESUME -> "Lower lr 10x and resume";
                case LOWER_REG_10X_RESUME -> "Lower reg 10x and resume";
                case RAISE_REG_10X -> "Raise reg 10x";
            };
            if (fix != null) {
                Button b = new Button(fix);
                b.getStyleClass().add("finding-fix");
                b.setFocusTraversable(false);
                b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                b.setTooltip(new Tooltip("Sets it now: for the active run from its next iteration (a marker on the charts),"
                        + " otherwise for the next run"));
                b.setOnAction(e -> {
                    try {
                        run.applyFix(f.fix());
                    } catch (IllegalArgumentException ex) {
                        b.setTooltip(new Tooltip(ex.getMessage()));
                        b.setDisable(true);
                    }
                });
                row.getChildren().add(b);
            }
            Tooltip.install(row, new Tooltip(f.rule().source()));
            // a width the cell knows before its height is asked: the wrapped lines then get their height
            if (!prefWidthProperty().isBound()) {
                prefWidthProperty().bind(getListView().widthProperty().subtract(24));
                setMaxWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            }
            setGraphic(row);
        }
    }
}
