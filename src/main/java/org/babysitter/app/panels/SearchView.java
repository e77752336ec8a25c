package org.babysitter.app.panels;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableRow;
import javafx.scene.control.TextField;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import org.babysitter.app.charts.ChartExport;
import org.babysitter.app.charts.ImageFormat;
import org.babysitter.app.charts.ParallelCoordinates;
import org.babysitter.app.session.BackgroundJobs;
import org.jfree.chart.JFreeChart;
import org.babysitter.app.charts.SearchCharts;
import org.babysitter.app.session.SearchController;
import org.babysitter.app.session.SearchController.Phase;
import org.babysitter.app.session.TrialRow;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.search.PrunerSpec;

/**
 * The search command center (Checks > Hyperparameter search...): the spec form with Load spec... and Save spec...,
 * Start, Pause, Resume and Cancel; where the search is recorded, the recorded searches (an unfinished one offered to
 * resume, any one shown); the trials' table (filtered by text and state, sortable) with the edge warnings under it,
 * Use this trial, Open in main window, Fine stage and Export CSV...; the lr x reg scatter; the parallel coordinates; a
 * small loss curve per trial; and, behind Random vs grid..., the lecture's random vs grid experiment
 * ({@link RandomVsGridView}). Bound to {@link SearchController}; everything fills in live.
 */
public final class SearchView {
    private final VBox box = new VBox(10);
    private final SearchController search;
    private final TableView<TrialRow> table = new TableView<>();
    private final SearchCharts.CurveGrid curves = new SearchCharts.CurveGrid();
    private final SearchCharts.Scatter scatter = new SearchCharts.Scatter();
    private final ParallelCoordinates parallel = new ParallelCoordinates();
    private final RandomVsGridView randomVsGrid;
    private final BackgroundJobs jobs;
    private final java.util.function.Consumer<String> status;
    /** A redraw of the charts is already asked for: the rows' changes of one frame are drawn once. */
    private final RedrawOnce redraws = new RedrawOnce(this::redraw);
    private final List<NumberField> fields;

    /** The state filter's choices: every row, or those in one state. */
    static final List<String> STATES = List.of("all", TrialRow.RUNNING, "done", "pruned", "diverged", "failed", "cancelled");

    private final TextField filterText = new TextField();
    private final ChoiceBox<String> filterState = new ChoiceBox<>(FXCollections.observableArrayList(STATES));

    /**
     * @param chooseCsv  where to export the table, asked of the user with the panel's window as owner
     * @param chooseSpec a spec file to load ({@code false}) or where to save one ({@code true})
     */
    public SearchView(Workbench workbench, Function<Window, Optional<Path>> chooseCsv,
                      BiFunction<Window, Boolean, Optional<Path>> chooseSpec) {
        search = workbench.search();
        jobs = workbench.jobs();
        status = workbench.statusProperty()::set;
        NumberField lrLow = logBound("search-lr-low", search.lrLowProperty(), "lr");
        NumberField lrHigh = logBound("search-lr-high", search.lrHighProperty(), "lr");
        NumberField regLow = logBound("search-reg-low", search.regLowProperty(), "reg");
        NumberField regHigh = logBound("search-reg-high", search.regHighProperty(), "reg");
        NumberField trials = new NumberField("search-trials", NumberField.bridge(search.trialsProperty()),
                v -> Forms.range(v, 1, 1000, "trials"), true);
        NumberField epochs = new NumberField("search-epochs", NumberField.bridge(search.epochsProperty()),
                v -> Forms.range(v, 1, 100, "epochs"), true);
        NumberField subset = new NumberField("search-subset", NumberField.bridge(search.subsetProperty()),
                v -> v < 0 ? "training images: a count, or 0 for all" : null, true);
        NumberField seed = new NumberField("search-seed", NumberField.bridge(search.seedProperty()),
                v -> v < 0 ? "the seed is 0 or more" : null, true);
        fields = List.of(lrLow, lrHigh, regLow, regHigh, trials, epochs, subset, seed);
        ChoiceBox<PrunerSpec.Kind> pruner = Forms.choice("search-pruner", PrunerSpec.Kind.values(), search.prunerProperty(),
                "none; median: a trial below the median of the others at the same epoch stops; halving: at epochs 1, 3, 9,"
                        + " ... only the top third go on");

        pruner.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(PrunerSpec.Kind k) {
                return k == null ? "" : k.name().toLowerCase(Locale.ROOT);
            }

            @Override
            public PrunerSpec.Kind fromString(String text) {
                return PrunerSpec.Kind.valueOf(text.toUpperCase(Locale.ROOT));
            }
        });
        // two compact rows: the ranges, then the stage (the curves below need the panel's height)
        GridPane form = Forms.grid();
        form.getColumnConstraints().clear();
        for (NumberField f : fields) {
            f.textField().setPrefColumnCount(6);
            f.setMaxWidth(Region.USE_PREF_SIZE);
        }
        form.addRow(0, label("lr (log)", lrLow), lrLow, label("to", lrHigh), lrHigh, label("reg (log)", regLow), regLow,
                label("to", regHigh), regHigh);
        form.addRow(1, label("Trials", trials), trials, label("Epochs", epochs), epochs, label("Train images (0: all)", subset),
                subset, label("Seed", seed), seed, label("Pruner", pruner), pruner);
        form.setHgap(6);
        Label rest = new Label();
        rest.setId("search-others");
        rest.textProperty().bind(search.othersProperty());
        rest.getStyleClass().add("caption");
        Button load = button("search-load-spec", "Load spec...",
                () -> chooseSpec.apply(box.getScene().getWindow(), false).ifPresent(search::loadSpec));
        load.setTooltip(new Tooltip("A spec file as the CLI's search --spec reads: every dimension it ranges, random or grid"));
        Button save = button("search-save-spec", "Save spec...", () -> {
            for (NumberField f : fields) {
                if (!f.commit()) {
                    return;
                }
            }
            chooseSpec.apply(box.getScene().getWindow(), true).ifPresent(search::saveSpec);
        });
        HBox specRow = new HBox(8, load, save, rest);
        specRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        Button start = button("search-start", "Start", this::start);
        Button pause = button("search-pause", "Pause", search::pause);
        Button resume = button("search-resume", "Resume", search::resume);
        Button cancel = button("search-cancel", "Cancel", search::cancel);
        var phase = search.phaseProperty();
        var active = phase.isEqualTo(Phase.RUNNING).or(phase.isEqualTo(Phase.PAUSED));
        start.disableProperty().bind(active.or(search.randomVsGrid().runningProperty())); // one experiment at a time
        // a search across machines does not pause: its trials run on other machines
        pause.disableProperty().bind(phase.isNotEqualTo(Phase.RUNNING).or(search.acrossMachinesProperty()));
        resume.disableProperty().bind(phase.isNotEqualTo(Phase.PAUSED));
        cancel.disableProperty().bind(active.not());
        form.disableProperty().bind(active);
        load.disableProperty().bind(active);
        Label summary = new Label();
        summary.setId("search-summary");
        summary.textProperty().bind(search.summaryProperty());
        // the lecture's random vs grid picture: opened (and run) under the controls by one click
        RandomVsGridView compare = new RandomVsGridView(search.randomVsGrid());
        javafx.scene.control.TitledPane comparePane = new javafx.scene.control.TitledPane("Random vs grid", compare.node());
        comparePane.setId("rvg-pane");
        comparePane.setExpanded(false);
        comparePane.setVisible(false);
        comparePane.managedProperty().bind(comparePane.visibleProperty());
        randomVsGrid = compare;
        Button rvg = button("search-rvg", "Random vs grid...", () -> {
            comparePane.setVisible(true);
            comparePane.setExpanded(true);
            search.randomVsGrid().start();
        });
        rvg.disableProperty().bind(active.or(search.randomVsGrid().runningProperty()));
        rvg.setTooltip(new Tooltip("Runs the same budget as a grid and at random over the form's lr and reg, then shows both"));
        HBox controls = new HBox(8, start, pause, resume, cancel, rvg, summary);

        table.setId("search-table");
        table.setPlaceholder(new Label("Start a search: a row per trial as it starts."));
        table.getColumns().add(column("#", 40, TrialRow::number));
        TableColumn<TrialRow, String> state = column("state", 80, TrialRow::state);
        TableColumn<TrialRow, String> reason = column("reason", 200, TrialRow::reason);
        reason.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new Tooltip(item));
            }
        });
        table.getColumns().add(state);
        table.getColumns().add(reason);
        table.getColumns().add(numberColumn("lr", 80, TrialRow::lr, SearchView::sci));
        table.getColumns().add(numberColumn("reg", 80, TrialRow::reg, SearchView::sci));
        table.getColumns().add(numberColumn("val acc", 70, TrialRow::best, v -> Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v)));
        table.getColumns().add(column("epochs", 55, TrialRow::epochsDone));
        table.getColumns().add(numberColumn("time (s)", 65, TrialRow::seconds, v -> String.format(Locale.ROOT, "%.1f", v)));
        // filtered, then sorted: the column headers still sort what the filter lets through
        FilteredList<TrialRow> filtered = new FilteredList<>(search.rows());
        filtered.predicateProperty().bind(Bindings.createObjectBinding(
                () -> r -> r.matches(filterText.getText(), filterState.getValue()), filterText.textProperty(), filterState.valueProperty()));
        SortedList<TrialRow> sorted = new SortedList<>(filtered);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        filterText.setId("search-filter");
        filterText.setPromptText("Filter: number, state, reason, lr, reg...");
        filterText.setPrefColumnCount(22);
        filterState.setId("search-state-filter");
        filterState.setValue(STATES.get(0));
        Label shown = new Label();
        shown.textProperty().bind(Bindings.createStringBinding(() -> sorted.size() + " of " + search.rows().size() + " trials",
                sorted, search.rows()));
        HBox filterRow = new HBox(8, filterText, filterState, shown);
        filterRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        MenuItem openItem = new MenuItem("Open in main window");
        openItem.setOnAction(e -> search.openInMainWindow(table.getSelectionModel().getSelectedItem()));
        MenuItem useItem = new MenuItem("Use this trial's lr and reg");
        useItem.setOnAction(e -> search.useTrial(table.getSelectionModel().getSelectedItem()));
        ContextMenu rowMenu = new ContextMenu(openItem, useItem);
        table.setRowFactory(t -> {
            TableRow<TrialRow> row = new TableRow<>();
            row.contextMenuProperty().bind(Bindings.when(row.emptyProperty()).then((ContextMenu) null)
                    .otherwise(rowMenu));
            return row;
        });
        table.setPrefSize(720, 300);

        VBox warnings = new VBox(2);
        warnings.setId("search-warnings");
        search.warnings().addListener((ListChangeListener<String>) c -> {
            warnings.getChildren().clear();
            for (String w : search.warnings()) {
                Label l = new Label("Warning: " + w);
                l.setWrapText(true);
                l.setStyle("-fx-text-fill: #b35c00;");
                warnings.getChildren().add(l);
            }
        });
        Button use = button("search-use", "Use this trial", () -> search.useTrial(table.getSelectionModel().getSelectedItem()));
        use.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        use.setTooltip(new Tooltip("The main window's lr and reg become the selected trial's: Start trains it."));
        Button fine = button("search-fine", "Fine stage", search::fineStage);
        fine.disableProperty().bind(phase.isNotEqualTo(Phase.ENDED));
        fine.setTooltip(new Tooltip("The form's ranges narrowed around the best trials, and the next seed: Start runs it."));
        Button export = button("search-export", "Export CSV...",
                () -> chooseCsv.apply(box.getScene().getWindow()).ifPresent(search::exportCsv));
        export.disableProperty().bind(Bindings.isEmpty(search.rows()));
        Button open = button("search-open", "Open in main window",
                () -> search.openInMainWindow(table.getSelectionModel().getSelectedItem()));
        open.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        open.setTooltip(new Tooltip("The selected trial's whole config in the main window's forms and, recorded, its run"
                + " reopened in every chart (read-only)."));
        HBox tableButtons = new HBox(8, use, open, fine, export);
        VBox left = new VBox(6, filterRow, table, warnings, tableButtons);
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox middle = new HBox(10, left, scatter.node());

        Label curvesTitle = new Label("Loss per iteration, one chart per trial (clipped at 3x its first loss)");
        curvesTitle.setStyle("-fx-font-weight: bold;");
        search.rows().addListener((ListChangeListener<TrialRow>) c -> redraws.ask());
        box.getChildren().addAll(form, specRow, acrossMachines(active), controls, recordedRow(active), comparePane, middle, parallel.node(), curvesTitle,
                curves.node());
        box.setPadding(new Insets(8));
        box.setPrefWidth(1220);
        box.setId("search-panel");
    }

    /**
     * Across machines: the cluster's name, shared secret (memory only), this machine's address and port; while a
     * search runs across machines, its members live with what each runs and its speed.
     */
    private Node acrossMachines(javafx.beans.binding.BooleanBinding active) {
        javafx.scene.control.CheckBox on = new javafx.scene.control.CheckBox("Across machines");
        on.setId("search-across");
        on.selectedProperty().bindBidirectional(search.acrossMachinesProperty());
        on.setTooltip(new Tooltip("This machine owns the search and runs trials; other machines join it and run the rest"
                + " (babysitter worker, or Checks > Join a search across machines... in their window)"));
        TextField name = new TextField();
        name.setId("search-cluster-name");
        name.setPromptText("cluster name: lab-203");
        name.setPrefColumnCount(10);
        name.textProperty().bindBidirectional(search.clusterNameProperty());
        javafx.scene.control.PasswordField secret = new javafx.scene.control.PasswordField();
        secret.setId("search-cluster-secret");
        secret.setPromptText("shared secret (12+ characters)");
        secret.setPrefColumnCount(14);
        secret.textProperty().bindBidirectional(search.clusterSecretProperty());
        TextField bind = new TextField();
        bind.setId("search-cluster-bind");
        bind.setPromptText("address: automatic");
        bind.setPrefColumnCount(10);
        bind.textProperty().bindBidirectional(search.clusterBindProperty());
        NumberField port = new NumberField("search-cluster-port", NumberField.bridge(search.clusterPortProperty()),
                v -> Forms.range(v, 1, 65535, "port"), true);
        port.textField().setPrefColumnCount(5);
        port.setMaxWidth(Region.USE_PREF_SIZE);
        Label hint = new Label();
        hint.getStyleClass().add("caption");
        hint.textProperty().bind(Bindings.createStringBinding(() -> "workers: babysitter worker --join "
                + (search.clusterBindProperty().get().isBlank() ? "THIS-MACHINE" : search.clusterBindProperty().get().strip()) + ":"
                + search.clusterPortProperty().get() + " --cluster " + (search.clusterNameProperty().get().isBlank() ? "NAME"
                : search.clusterNameProperty().get().strip()) + " --secret-file FILE --data PATH; open the port in the firewall",
                search.clusterBindProperty(), search.clusterPortProperty(), search.clusterNameProperty()));
        HBox fields = new HBox(6, label("Cluster", name), name, label("Secret", secret), secret, label("This machine", bind), bind,
                label("Port", port), port);
        fields.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        for (Node n : fields.getChildren()) {
            if (n instanceof Region r) {
                r.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
        on.setMinWidth(Region.USE_PREF_SIZE);
        fields.visibleProperty().bind(on.selectedProperty());
        fields.managedProperty().bind(fields.visibleProperty());
        fields.disableProperty().bind(active);
        on.disableProperty().bind(active);
        hint.visibleProperty().bind(on.selectedProperty());
        hint.managedProperty().bind(hint.visibleProperty());

        TableView<SearchController.MemberRow> members = new TableView<>(search.members());
        members.setId("search-members");
        members.setPlaceholder(new Label("The members appear here while the search runs across machines."));
        members.getColumns().add(memberColumn("Member", 230, SearchController.MemberRow::address));
        members.getColumns().add(memberColumn("Babysitter", 125, SearchController.MemberRow::version));
        members.getColumns().add(memberColumn("Role", 160, SearchController.MemberRow::role));
        members.getColumns().add(memberColumn("Runs trials", 110, SearchController.MemberRow::running));
        members.getColumns().add(memberColumn("Speed", 130, SearchController.MemberRow::speed));
        members.setPrefHeight(105);
        members.setMinHeight(105);
        members.visibleProperty().bind(on.selectedProperty());
        members.managedProperty().bind(members.visibleProperty());
        HBox top = new HBox(10, on, fields);
        top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return new VBox(4, top, hint, members);
    }

    private static TableColumn<SearchController.MemberRow, String> memberColumn(String title, double width,
            Function<SearchController.MemberRow, String> value) {
        TableColumn<SearchController.MemberRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(r.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /**
     * Where the search is recorded (or that it is not), the unfinished search offered ("Search s3: 12 of 30 trials done
     * - Resume"), and a choice of the recorded searches to show or resume.
     */
    private Node recordedRow(javafx.beans.binding.BooleanBinding active) {
        Label recording = new Label();
        recording.setId("search-recording");
        recording.textProperty().bind(search.recordingProperty());
        recording.getStyleClass().add("caption");
        var unfinished = search.unfinishedProperty();
        Label offer = new Label();
        offer.setId("search-offer");
        offer.textProperty().bind(Bindings.createStringBinding(() -> unfinished.get() == null ? "" : "Search "
                + unfinished.get().id() + ": " + unfinished.get().ended() + " of " + unfinished.get().total() + " trials done", unfinished));
        offer.setStyle("-fx-font-weight: bold;");
        Button resumeOffer = button("search-offer-resume", "Resume", () -> {
            if (unfinished.get() != null) {
                search.resumeRecorded(unfinished.get().id());
            }
        });
        HBox offerBox = new HBox(6, offer, resumeOffer);
        offerBox.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        offerBox.visibleProperty().bind(unfinished.isNotNull());
        offerBox.managedProperty().bind(offerBox.visibleProperty());
        resumeOffer.disableProperty().bind(active);

        ChoiceBox<SearchController.RecordedSearch> choice = new ChoiceBox<>(search.recorded());
        choice.setId("search-recorded");
        choice.setPrefWidth(360);
        // the search shown (or the newest) chosen, so that Show and Resume have something to act on
        Runnable choose = () -> {
            List<SearchController.RecordedSearch> list = search.recorded();
            if (list.isEmpty()) {
                return;
            }
            String want = search.shownIdProperty().get();
            choice.setValue(list.stream().filter(r -> r.id().equals(want)).findFirst().orElse(list.get(list.size() - 1)));
        };
        search.recorded().addListener((ListChangeListener<SearchController.RecordedSearch>) c -> choose.run());
        Button show = button("search-show", "Show", () -> search.showRecorded(choice.getValue().id()));
        show.setTooltip(new Tooltip("The recorded search's ended trials in the table and charts, read-only"));
        Button resumeChosen = button("search-recorded-resume", "Resume", () -> search.resumeRecorded(choice.getValue().id()));
        show.disableProperty().bind(choice.valueProperty().isNull().or(active));
        resumeChosen.disableProperty().bind(Bindings.createBooleanBinding(() -> choice.getValue() == null
                || choice.getValue().finished(), choice.valueProperty()).or(active));
        Label recordedLabel = new Label("Recorded:");
        HBox pick = new HBox(6, recordedLabel, choice, show, resumeChosen);
        pick.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        pick.visibleProperty().bind(Bindings.isNotEmpty(search.recorded()));
        pick.managedProperty().bind(pick.visibleProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox row = new HBox(12, recording, offerBox, gap, pick);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        row.setId("search-recorded-row");
        return row;
    }

    /**
     * The charts drawn again (once per batch of row changes, {@link RedrawOnce}): a frame that replaces all
     * 100 running trials' rows redraws the grid, the scatter and the parallel coordinates once, not 100 times.
     */
    private void redraw() {
        curves.show(search.rows());
        scatter.show(search.rows());
        parallel.show(search.spec(), search.rows());
    }

    /**
     * A right-click "Export chart (PNG or SVG)..." on the lr x reg scatter, the parallel coordinates and the random vs
     * grid scatters: {@code chooseImage} asks where (owner window, suggested name), the chart is copied on the FX thread
     * and written in the background at 1200 x 700.
     */
    public void installExports(java.util.function.BiFunction<Window, String, Optional<Path>> chooseImage) {
        List<Object[]> charts = List.of(
                new Object[] {scatter.node(), "search-lr-reg", (java.util.function.Supplier<JFreeChart>) scatter::exportCopy},
                new Object[] {parallel.node(), "search-parallel-coordinates", (java.util.function.Supplier<JFreeChart>) parallel::exportCopy},
                new Object[] {randomVsGrid.grid().node(), "grid-search", (java.util.function.Supplier<JFreeChart>) randomVsGrid.grid()::exportCopy},
                new Object[] {randomVsGrid.random().node(), "random-search", (java.util.function.Supplier<JFreeChart>) randomVsGrid.random()::exportCopy});
        for (Object[] c : charts) {
            Node node = (Node) c[0];
            String name = (String) c[1];
            @SuppressWarnings("unchecked")
            java.util.function.Supplier<JFreeChart> copy = (java.util.function.Supplier<JFreeChart>) c[2];
            javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem("Export chart (PNG or SVG)...");
            item.setOnAction(e -> chooseImage.apply(box.getScene().getWindow(), name).ifPresent(file -> exportChart(copy.get(), file)));
            javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(item);
            node.setOnContextMenuRequested(e -> menu.show(node, e.getScreenX(), e.getScreenY()));
        }
    }

    /** Writes {@code copy} (a chart nothing changes any more) to {@code file} in the background. */
    public void exportChart(JFreeChart copy, Path file) {
        ImageFormat format = ImageFormat.of(file).orElse(ImageFormat.PNG);
        Path target = format.withExtension(file);
        jobs.start("Exporting " + target.getFileName(), p -> {
            ChartExport.write(copy, format, target, 1200, 700);
            return target;
        }, new BackgroundJobs.Outcome<Path>() {
            @Override
            public void succeeded(Path written) {
                status.accept("Saved " + written);
            }

            @Override
            public void failed(String message) {
                status.accept("Export failed: " + message);
            }
        });
    }

    /** A field's label, level with its text (above its message line). */
    private static Label label(String text, Node field) {
        Label l = new Label(text);
        l.setLabelFor(field);
        l.setMinWidth(Region.USE_PREF_SIZE);
        GridPane.setValignment(l, javafx.geometry.VPos.TOP);
        l.setPadding(new Insets(4, 0, 0, 8));
        return l;
    }

    private static NumberField logBound(String id, javafx.beans.property.DoubleProperty p, String what) {
        return new NumberField(id, p, v -> v > 0 ? null : what + ": a log range's bounds are above 0", false);
    }

    private static Button button(String id, String text, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private static <T> TableColumn<TrialRow, T> column(String title, double width, Function<TrialRow, T> value) {
        TableColumn<TrialRow, T> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** lr and reg as the lecture prints them, to 3 digits: "4.47e-04". */
    static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }

    /** A column of numbers: sorted as numbers, written by {@code text}. */
    private static TableColumn<TrialRow, Double> numberColumn(String title, double width, Function<TrialRow, Double> value,
                                                              Function<Double, String> text) {
        TableColumn<TrialRow, Double> c = column(title, width, value);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Double item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : text.apply(item));
            }
        });
        return c;
    }

    /** Start, with every field's typed text taken first (a field refusing its text says why, and nothing starts). */
    private void start() {
        for (NumberField f : fields) {
            if (!f.commit()) {
                return;
            }
        }
        search.start();
    }

    public Node node() {
        return box;
    }

    public TableView<TrialRow> table() {
        return table;
    }

    /** The table's text filter. */
    public TextField filterText() {
        return filterText;
    }

    /** The table's state filter: one of {@link #STATES}. */
    public ChoiceBox<String> filterState() {
        return filterState;
    }

    public SearchCharts.CurveGrid curves() {
        return curves;
    }

    public SearchCharts.Scatter scatter() {
        return scatter;
    }

    public RandomVsGridView randomVsGrid() {
        return randomVsGrid;
    }

    public ParallelCoordinates parallel() {
        return parallel;
    }
}
