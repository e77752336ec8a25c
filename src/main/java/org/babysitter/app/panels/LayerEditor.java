package org.babysitter.app.panels;

import java.util.List;
import java.util.function.UnaryOperator;

import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import org.babysitter.app.session.NetLayersViewModel;
import org.babysitter.engine.model.ConvStage;

/**
 * The Model panel's layer list: the net's layers with their output shapes, buttons to add, remove and move conv stages
 * and hidden layers, and the selected one's numbers in spinners. Everything it shows and does goes through
 * {@link NetLayersViewModel}; a net whose shapes do not tile is said under the list.
 */
final class LayerEditor {

    private final NetLayersViewModel vm;
    private final VBox box;
    private final ListView<NetLayersViewModel.Row> list = new ListView<>();
    private final Spinner<Integer> kernel = spinner("layer-kernel", 1, 15, "The side of the square filters (K in KxKxF)");
    private final Spinner<Integer> filters = spinner("layer-filters", 1, 512, "How many filters: the output's channels");
    private final Spinner<Integer> stride = spinner("layer-stride", 1, 8, "How far each filter moves between outputs");
    private final Spinner<Integer> pad = spinner("layer-pad", 0, 8, "Zeros added on each side of the input");
    private final Spinner<Integer> pool = new Spinner<>();
    private final Spinner<Integer> units = spinner("layer-units", 1, NetLayersViewModel.MAX_UNITS, "The hidden layer's width");
    /** True while the spinners are set from the selected item: their changes are not edits then. */
    private boolean showing;
    /** True while the list's selection is set from the view model's. */
    private boolean selecting;

    LayerEditor(NetLayersViewModel vm, ObservableBooleanValue active) {
        this.vm = vm;
        list.setId("net-layers");
        list.setItems(vm.rows());
        list.setCellFactory(v -> new RowCell());
        list.getStyleClass().add("layer-list"); // its height in em (babysitter.css): rows stay whole in presentation mode
        list.setTooltip(new Tooltip("The net's layers and each one's output (channels x height x width, or units); select"
                + " a conv stage or hidden layer to change its numbers below"));
        list.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
            if (!selecting && row != null) {
                vm.selectedProperty().set(row.item());
            }
        });
        // Delete (or Backspace) in the list removes the selected item, as Remove does
        list.setOnKeyPressed(e -> {
            if ((e.getCode() == javafx.scene.input.KeyCode.DELETE || e.getCode() == javafx.scene.input.KeyCode.BACK_SPACE)
                    && !active.get()) {
                vm.removeSelected();
                e.consume();
            }
        });
        // after the list has redrawn its rows (its own listener came first), the selected item's rows are selected again
        vm.rows().addListener((ListChangeListener<NetLayersViewModel.Row>) ch -> selectRows());
        vm.selectedProperty().addListener((o, a, b) -> selectRows());

        Label problem = new Label();
        problem.setId("net-layers-problem");
        problem.getStyleClass().add("field-error");
        problem.setWrapText(true);
        problem.setMaxWidth(Double.MAX_VALUE);
        problem.setMinHeight(Region.USE_PREF_SIZE);
        problem.textProperty().bind(vm.problemProperty());
        problem.visibleProperty().bind(vm.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());

        Button addConv = button("add-conv-stage", "+ Conv stage", "Add conv stage: conv, activation, pool (after the"
                + " selected stage, as it is; else after the last)", vm::addConvStage);
        Button addHidden = button("add-hidden-layer", "+ Hidden", "Add hidden layer: affine, activation (after the"
                + " selected one, as wide; else after the last)", vm::addHiddenLayer);
        Button remove = button("remove-layer", "Remove", "Remove the selected conv stage or hidden layer (Delete in the list)",
                vm::removeSelected);
        Button up = button("move-layer-up", "\u25B2", "Move up: the selected item one place up among its kind (conv stages"
                + " come before hidden layers)", vm::moveUp);
        Button down = button("move-layer-down", "\u25BC", "Move down: the selected item one place down among its kind",
                vm::moveDown);
        // a row that wraps: in presentation mode's larger font the five buttons do not fit the column
        FlowPane buttons = new FlowPane(4, 4, addConv, addHidden, remove, up, down);
        buttons.setAlignment(Pos.CENTER_LEFT);

        pool.setId("layer-pool");
        SpinnerValueFactory.ListSpinnerValueFactory<Integer> pools = new SpinnerValueFactory.ListSpinnerValueFactory<>(
                javafx.collections.FXCollections.observableArrayList(0, 2, 3, 4, 5, 6, 7, 8));
        pools.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null || v == 0 ? "none" : String.valueOf(v);
            }

            @Override
            public Integer fromString(String s) {
                return s.equals("none") ? 0 : Integer.valueOf(s);
            }
        });
        pool.setValueFactory(pools);
        pool.getStyleClass().add("layer-pool");
        pool.setTooltip(new Tooltip("Q x Q max pooling (stride Q) after the activation; none for no pooling"));

        // the stage's five numbers in a grid of two label-spinner pairs a row, so the rows line up and fit the column in
        // presentation mode too
        GridPane stageFields = new GridPane();
        stageFields.setHgap(4);
        stageFields.setVgap(2);
        pair(stageFields, "Kernel", kernel, 0, 0);
        pair(stageFields, "Filters", filters, 1, 0);
        pair(stageFields, "Stride", stride, 0, 1);
        pair(stageFields, "Pad", pad, 1, 1);
        pair(stageFields, "Pool", pool, 0, 2);
        stageFields.setId("stage-fields");
        GridPane hiddenFields = new GridPane();
        hiddenFields.setHgap(4);
        pair(hiddenFields, "Units", units, 0, 0);
        hiddenFields.setId("hidden-fields");
        Label none = new Label("Select a conv stage or hidden layer to change it");
        none.getStyleClass().add("small");
        none.setWrapText(true);
        for (Spinner<Integer> s : List.of(kernel, filters, stride, pad, pool)) {
            s.valueProperty().addListener((o, a, b) -> {
                if (!showing && b != null) {
                    edit(st -> new ConvStage(filters.getValue(), kernel.getValue(), stride.getValue(), pad.getValue(),
                            pool.getValue()));
                }
            });
        }
        units.valueProperty().addListener((o, a, b) -> {
            if (!showing && b != null) {
                vm.editHidden(b);
            }
        });
        vm.selectedItemProperty().addListener((o, a, item) -> show(item, stageFields, hiddenFields, none));
        show(vm.selectedItemProperty().get(), stageFields, hiddenFields, none);

        remove.disableProperty().bind(vm.selectedItemProperty().isNull().or(active));
        up.disableProperty().bind(vm.canMoveUpProperty().not().or(active));
        down.disableProperty().bind(vm.canMoveDownProperty().not().or(active));
        addHidden.disableProperty().bind(vm.canAddHiddenProperty().not().or(active));
        for (Node n : new Node[] {addConv, stageFields, hiddenFields}) {
            n.disableProperty().bind(active);
        }
        // the problem last: appearing, it moves no button the user is about to click
        box = new VBox(4, list, buttons, stageFields, hiddenFields, none, problem);
        box.setId("layer-editor");
        box.setPadding(new Insets(0));
        VBox.setVgrow(list, Priority.NEVER);
    }

    Node node() {
        return box;
    }

    private void edit(UnaryOperator<ConvStage> change) {
        try {
            vm.editStage(change);
        } catch (IllegalArgumentException e) {
            show(vm.selectedItemProperty().get(), null, null, null); // the spinners go back to the stage as it is
        }
    }

    /** The selected item's numbers in the spinners, and only the fields of its kind visible. */
    private void show(NetLayersViewModel.Item item, Node stageFields, Node hiddenFields, Node none) {
        showing = true;
        try {
            if (item instanceof NetLayersViewModel.Stage s) {
                ConvStage st = s.stage();
                setShown(kernel, st.kernel());
                setShown(filters, st.filters());
                setShown(stride, st.stride());
                setShown(pad, st.pad());
                var pools = pool.getValueFactory() instanceof SpinnerValueFactory.ListSpinnerValueFactory<Integer> l ? l : null;
                if (pools != null && !pools.getItems().contains(st.pool())) {
                    pools.getItems().add(st.pool()); // a pool typed in the field beyond the list's
                    pools.getItems().sort(null);
                }
                pool.getValueFactory().setValue(st.pool());
            } else if (item instanceof NetLayersViewModel.Hidden h) {
                setShown(units, h.units());
            }
        } finally {
            showing = false;
        }
        if (stageFields != null) {
            visible(stageFields, item instanceof NetLayersViewModel.Stage);
            visible(hiddenFields, item instanceof NetLayersViewModel.Hidden);
            visible(none, item == null);
        }
    }

    private static void visible(Node n, boolean on) {
        n.setVisible(on);
        n.setManaged(on);
    }

    /** Shows {@code v} in an integer spinner, its range grown if the value (typed in a field) is beyond it. */
    private static void setShown(Spinner<Integer> s, int v) {
        var f = (SpinnerValueFactory.IntegerSpinnerValueFactory) s.getValueFactory();
        if (v > f.getMax()) {
            f.setMax(v);
        }
        f.setValue(v);
    }

    /** Selects the first row of the view model's selected item (none: no row), without it counting as a choice. */
    private void selectRows() {
        int item = vm.selectedProperty().get();
        NetLayersViewModel.Row current = list.getSelectionModel().getSelectedItem();
        if (current != null && current.item() == item) {
            return;
        }
        selecting = true;
        try {
            int at = -1;
            for (int i = 0; i < vm.rows().size() && item >= 0; i++) {
                if (vm.rows().get(i).item() == item) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                list.getSelectionModel().clearSelection();
            } else {
                list.getSelectionModel().select(at);
                list.scrollTo(Math.max(0, at - 2));
            }
        } finally {
            selecting = false;
        }
    }

    private static Spinner<Integer> spinner(String id, int min, int max, String tip) {
        Spinner<Integer> s = new Spinner<>(min, max, min);
        s.setId(id);
        s.setEditable(true);
        s.getStyleClass().add(max >= 1000 ? "layer-spinner-wide" : "layer-spinner"); // widths in em: babysitter.css
        s.setTooltip(new Tooltip(tip));
        // a typed number counts when the field is left, not only on Enter
        s.getEditor().focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                commitText(s);
            }
        });
        return s;
    }

    private static void commitText(Spinner<Integer> s) {
        String text = s.getEditor().getText();
        try {
            int v = Integer.parseInt(text.strip());
            var f = (SpinnerValueFactory.IntegerSpinnerValueFactory) s.getValueFactory();
            if (v >= f.getMin() && v <= f.getMax()) {
                f.setValue(v);
                return;
            }
        } catch (NumberFormatException e) {
            // not a number: the value stays
        }
        s.getEditor().setText(String.valueOf(s.getValue()));
    }

    /** A label and its spinner in pair {@code column} of {@code row}; a gap before every pair but the first. */
    private static void pair(GridPane g, String text, Spinner<Integer> s, int column, int row) {
        Label l = new Label(text);
        l.setLabelFor(s);
        l.setMinWidth(Region.USE_PREF_SIZE);
        if (column > 0) {
            GridPane.setMargin(l, new Insets(0, 0, 0, 12));
        }
        g.add(l, 2 * column, row);
        g.add(s, 2 * column + 1, row);
    }

    private static Button button(String id, String text, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    /** A row: the layer on the left, its output shape on the right. */
    private static final class RowCell extends ListCell<NetLayersViewModel.Row> {
        private static final javafx.css.PseudoClass NO_TILE = javafx.css.PseudoClass.getPseudoClass("no-tile");
        private final Label layer = new Label();
        private final Label output = new Label();
        private final HBox box;

        RowCell() {
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            output.getStyleClass().add("layer-output");
            layer.setMinWidth(Region.USE_PREF_SIZE);
            output.setMinWidth(Region.USE_PREF_SIZE);
            box = new HBox(8, layer, gap, output);
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(NetLayersViewModel.Row row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            // the layers of a stage or hidden layer after its first are indented under it
            boolean first = getIndex() == 0 || getListView().getItems().get(getIndex() - 1).item() != row.item() || row.item() < 0;
            layer.setText((first ? "" : "    ") + row.layer());
            output.setText(row.output());
            output.pseudoClassStateChanged(NO_TILE, row.output().equals(NetLayersViewModel.NO_TILE));
            setText(null);
            setGraphic(box);
        }
    }
}
