package org.babysitter.app.panels;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Line;
import javafx.stage.Window;

import org.babysitter.app.session.ComparedRun;
import org.babysitter.app.session.RunsController;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.Numbers;
import org.babysitter.engine.runs.RunSummary;

/**
 * The runs panel (View > Runs...): the run store's runs as a table, newest first, and what can be done with the one
 * selected: its name, tags and note (Save), Reopen in the charts, Export..., Delete and Undo delete (Ctrl+Z here); and,
 * of the runs selected (several with Ctrl/Shift+click), Compare on charts: their lines stay on every chart, each in
 * its colour, while new runs train (Remove from charts, Clear comparison; what is on the charts is listed with swatches).
 * Everything goes through the {@link RunsController}; the table follows its list.
 */
public final class RunsView {
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final VBox root;
    private final TableView<RunSummary> table = new TableView<>();
    private final TextField name = new TextField();
    private final TextField tags = new TextField();
    private final TextArea note = new TextArea();

    /**
     * @param chooseFolder asks for the folder an export goes into (the window's dialogs)
     * @param colourOf     the colour a compared run is drawn in on the charts (its swatch here)
     */
    public RunsView(Workbench workbench, Function<Window, Optional<Path>> chooseFolder, Function<Long, Color> colourOf) {
        RunsController runs = workbench.runs();
        table.setId("runs-table");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        // the list is replaced after every change, which may empty the selection: the runs selected before are
        // selected again after (below); while it is replaced (this listener is called before the table's own), the
        // selection's changes are not the user's
        java.util.List<Long> wereSelected = new java.util.ArrayList<>();
        boolean[] replacing = {false};
        runs.runs().addListener((javafx.collections.ListChangeListener<RunSummary>) c -> replacing[0] = true);
        table.getSelectionModel().getSelectedItems().addListener((javafx.collections.ListChangeListener<RunSummary>) c -> {
            if (!replacing[0]) {
                wereSelected.clear();
                wereSelected.addAll(selectedIds());
            }
        });
        table.setItems(runs.runs());
        Label placeholder = new Label();
        placeholder.textProperty().bind(Bindings.when(runs.openProperty())
                .then("No runs recorded yet: Start a run and it appears here.")
                .otherwise("Not recording: File > Workspace... opens a folder for the run store."));
        table.setPlaceholder(placeholder);
        table.getColumns().addAll(Arrays.asList(
                column("Id", 44, r -> Long.toString(r.id())),
                column("Name", 150, RunSummary::name),
                column("State", 80, r -> r.state().word()),
                column("Created", 120, r -> CREATED.format(r.created())),
                column("Data", 150, RunSummary::data),
                column("Net", 160, RunSummary::net),
                column("Rule", 110, RunSummary::rule),
                column("lr", 60, r -> Numbers.significant(r.lr(), 3)),
                column("reg", 60, r -> Numbers.significant(r.reg(), 3)),
                column("Best val", 66, r -> Double.isNaN(r.bestVal()) ? "-" : String.format(Locale.ROOT, "%.3f", r.bestVal())),
                column("Epochs", 56, r -> r.epochsDone() + " / " + r.epochs()),
                column("Tags", 110, r -> String.join(", ", r.tags()))));
        table.setPrefHeight(420);
        table.setPrefWidth(1180);
        // the columns share the table's width: no sideways scrolling; a row's long texts are in its tooltip
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.setRowFactory(t -> {
            javafx.scene.control.TableRow<RunSummary> row = new javafx.scene.control.TableRow<>();
            row.itemProperty().addListener((o, a, r) -> row.setTooltip(r == null ? null : new javafx.scene.control.Tooltip(
                    r.name() + "\n" + r.data() + "\n" + r.net() + ", " + r.rule() + ", lr " + Numbers.exact(r.lr()) + ", reg "
                            + Numbers.exact(r.reg()) + (r.tags().isEmpty() ? "" : "\ntags: " + String.join(", ", r.tags()))
                            + (r.note().isEmpty() ? "" : "\n" + r.note()))));
            return row;
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        // the list is replaced after every change: keep the same run selected
        long[] selectedId = {-1};
        table.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r != null) {
                selectedId[0] = r.id();
                name.setText(r.name());
                tags.setText(String.join(", ", r.tags()));
                note.setText(r.note());
            } else if (runs.runs().stream().noneMatch(x -> x.id() == selectedId[0])) {
                selectedId[0] = -1;
                name.clear();
                tags.clear();
                note.clear();
            }
        });
        runs.runs().addListener((javafx.collections.ListChangeListener<RunSummary>) c -> {
            table.getSelectionModel().clearSelection(); // what it kept are rows, maybe other runs' now (a new one on top)
            RunSummary focused = null;
            for (RunSummary r : runs.runs()) {
                if (r.id() == selectedId[0]) {
                    focused = r;
                } else if (wereSelected.contains(r.id())) {
                    table.getSelectionModel().select(r);
                }
            }
            if (focused != null) {
                table.getSelectionModel().select(focused); // last: the one whose name, tags and note are edited
            }
            replacing[0] = false;
            wereSelected.clear();
            wereSelected.addAll(selectedIds());
        });

        name.setId("run-name");
        tags.setId("run-tags");
        tags.setPromptText("comma-separated, e.g. baseline, coarse");
        note.setId("run-note");
        note.setPrefRowCount(3);
        note.setWrapText(true);
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        Button save = button("Save", "run-save", () -> selected().ifPresent(r -> {
            if (!name.getText().strip().equals(r.name())) {
                runs.rename(r.id(), name.getText());
            }
            var wanted = Arrays.stream(tags.getText().split(",")).map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
            if (!wanted.equals(r.tags())) {
                runs.setTags(r.id(), wanted);
            }
            if (!note.getText().equals(r.note())) {
                runs.note(r.id(), note.getText());
            }
        }));
        save.setDefaultButton(false);
        for (Node n : new Node[] {name, tags, note, save}) {
            n.disableProperty().bind(none);
        }
        GridPane edit = new GridPane();
        edit.setHgap(8);
        edit.setVgap(6);
        edit.addRow(0, new Label("Name"), name);
        edit.addRow(1, new Label("Tags"), tags);
        edit.addRow(2, new Label("Note"), note);
        edit.add(save, 1, 3);
        GridPane.setHgrow(name, Priority.ALWAYS);
        GridPane.setHgrow(tags, Priority.ALWAYS);
        GridPane.setHgrow(note, Priority.ALWAYS);

        var active = Bindings.createBooleanBinding(() -> workbench.run().view().stateProperty().get().active(),
                workbench.run().view().stateProperty());
        Button reopen = button("Reopen in the charts", "run-reopen", () -> selected().ifPresent(r -> runs.reopen(r.id())));
        reopen.disableProperty().bind(none.or(active));
        reopen.setTooltip(new javafx.scene.control.Tooltip("Draws the run's charts and findings again, read-only (not while a run trains)"));
        Button export = button("Export...", "run-export", () -> selected().ifPresent(r ->
                chooseFolder.apply(table.getScene() == null ? null : table.getScene().getWindow())
                        .ifPresent(folder -> runs.export(r.id(), folder))));
        export.disableProperty().bind(none);
        export.setTooltip(new javafx.scene.control.Tooltip("run-ID.csv, run-ID.json and the best parameters (run-ID-best.npz) into a folder"));
        Button compare = button("Compare on charts", "run-compare", () -> runs.compare(selectedIds()));
        compare.disableProperty().bind(none);
        compare.setTooltip(new javafx.scene.control.Tooltip("Draws the selected runs (Ctrl+click, Shift+click to select several)"
                + " on every chart, each in its colour and named by how its config differs; they stay while new runs train"));
        var noneCompared = Bindings.createBooleanBinding(() -> table.getSelectionModel().getSelectedItems().stream()
                        .noneMatch(r -> runs.compared().stream().anyMatch(c -> c.id() == r.id())),
                table.getSelectionModel().getSelectedItems(), runs.compared());
        Button remove = button("Remove from charts", "run-remove-compared", () -> selectedIds().forEach(runs::remove));
        remove.disableProperty().bind(noneCompared);
        Button clearCompared = button("Clear comparison", "run-clear-compared", runs::clearCompared);
        clearCompared.disableProperty().bind(Bindings.isEmpty(runs.compared()));
        Button delete = button("Delete", "run-delete", () -> selected().ifPresent(r -> runs.delete(r.id())));
        delete.disableProperty().bind(none);
        Button undo = button("Undo delete", "run-undo-delete", runs::undoDelete);
        undo.disableProperty().bind(runs.canUndoDeleteProperty().not());
        Button refresh = button("Refresh", "runs-refresh", runs::refresh);
        HBox actions = new HBox(8, reopen, compare, remove, clearCompared, export, delete, undo, refresh);

        Label where = new Label();
        where.setId("runs-recording");
        where.textProperty().bind(runs.recordingProperty());
        where.setWrapText(true);
        FlowPane onCharts = new FlowPane(10, 4);
        onCharts.setId("runs-compared");
        Runnable showCompared = () -> {
            onCharts.getChildren().setAll(new Label(runs.compared().isEmpty()
                    ? "On the charts: the live run only (select runs, then Compare on charts)"
                    : "On the charts (loss and train accuracy dashed; val accuracy and ratios dotted):"));
            for (ComparedRun c : runs.compared()) {
                onCharts.getChildren().add(comparedChip(c, colourOf.apply(c.id()), () -> runs.remove(c.id())));
            }
        };
        runs.compared().addListener((javafx.collections.ListChangeListener<ComparedRun>) c -> showCompared.run());
        showCompared.run();
        root = new VBox(8, where, table, actions, onCharts, edit);
        root.setPadding(new Insets(4));
        root.setId("runs-view");
        root.setOnKeyPressed(e -> {
            if (new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN).match(e)) {
                runs.undoDelete();
                e.consume();
            }
        });
    }

    /**
     * One compared run in the list of what is on the charts: a swatch of its colour (its line: dashed), its label, and
     * a button that takes it off the charts.
     */
    private static Node comparedChip(ComparedRun c, Color colour, Runnable remove) {
        Line swatch = new Line(0, 0, 18, 0);
        swatch.setStroke(colour);
        swatch.setStrokeWidth(3);
        swatch.getStrokeDashArray().setAll(6.0, 3.0);
        Label name = new Label(c.label(), swatch);
        name.setId("compared-" + c.id());
        Button x = button("\u00d7", "compared-remove-" + c.id(), remove);
        x.setTooltip(new javafx.scene.control.Tooltip("Remove " + c.title() + " from the charts"));
        x.setStyle("-fx-padding: 0 4 0 4;");
        HBox chip = new HBox(3, name, x);
        chip.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return chip;
    }

    /** The ids of the runs selected in the table, in the table's order. */
    private java.util.List<Long> selectedIds() {
        return table.getSelectionModel().getSelectedItems().stream().map(RunSummary::id).toList();
    }

    private Optional<RunSummary> selected() {
        return Optional.ofNullable(table.getSelectionModel().getSelectedItem());
    }

    private static TableColumn<RunSummary, String> column(String title, double width, Function<RunSummary, String> value) {
        TableColumn<RunSummary, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> (ObservableValue<String>) new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    /** Selects run {@code id} alone if listed (tests, and the window after a run starts). */
    public void select(long id) {
        runs().stream().filter(r -> r.id() == id).findFirst().ifPresent(r -> table.getSelectionModel().clearAndSelect(runs().indexOf(r)));
    }

    private java.util.List<RunSummary> runs() {
        return table.getItems();
    }

    public Node node() {
        return root;
    }
}
