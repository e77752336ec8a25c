package org.babysitter.app.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import javafx.beans.Observable;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.ConvStage;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.Volume;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;

/**
 * The Model panel's layer list: the net as a user sees its layers (input, each conv with its activation and pool,
 * each hidden affine layer with its activation, the affine layer to the classes, the loss), each with its output
 * shape. What it edits are the net's items, conv stages then hidden layers, kept in the same properties as the "Conv
 * stages" and "Hidden sizes" fields ({@link ConfigViewModel#convProperty()}, {@link ConfigViewModel#hiddenProperty()}):
 * an edit here is written there, and a change there redraws the list.
 */
public final class NetLayersViewModel {
    /** An item of the net the list edits: a conv stage or a hidden layer. */
    public sealed interface Item permits Stage, Hidden {
    }

    /** A conv stage: conv, [spatial batch norm], activation, [pool]. */
    public record Stage(ConvStage stage) implements Item {
        public Stage {
            if (stage == null) {
                throw new IllegalArgumentException("a stage item needs its stage");
            }
        }
    }

    /** A hidden affine layer of {@code units}: affine, [batch norm], activation, [dropout]. */
    public record Hidden(int units) implements Item {
        public Hidden {
            if (units < 1 || units > MAX_UNITS) {
                throw new IllegalArgumentException("a hidden layer has 1 to " + MAX_UNITS + " units, got " + units);
            }
        }
    }

    /**
     * One line of the list: the layer, its output shape ("16x32x32", "50"; "?" after a shape that does not tile) and the
     * item it belongs to (an index into {@link #items()}), -1 for the input, the scores and the loss.
     */
    public record Row(String layer, String output, int item) {
        public Row {
            if (layer == null || output == null || item < -1) {
                throw new IllegalArgumentException("a row needs its layer, its output and an item (or -1)");
            }
        }
    }

    /** A row's output where its layer does not tile its input (the problem says why). */
    public static final String NO_TILE = "does not tile";
    /** The most hidden layers the forms take ({@link ConfigViewModel#parseHidden}). */
    public static final int MAX_HIDDEN = 10;
    /** The widest hidden layer the forms take ({@link ConfigViewModel#parseHidden}). */
    public static final int MAX_UNITS = 4096;
    /** The first conv stage added to a net with none: ConvNetJS's first. */
    static final ConvStage FIRST_STAGE = ConvStage.CONVNETJS.get(0);
    /** The first hidden layer added to a net with none: the lecture's. */
    static final int FIRST_UNITS = 50;

    private final ConfigViewModel config;
    private final int inputSize;
    private final int classes;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<Row> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final IntegerProperty selected = new SimpleIntegerProperty(-1);
    private final ReadOnlyObjectWrapper<Item> selectedItem = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper canMoveUp = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canMoveDown = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canAddHidden = new ReadOnlyBooleanWrapper(true);

    /** The list of {@code config}'s net over inputs of {@code inputSize} values (an RGB image) and {@code classes} classes. */
    NetLayersViewModel(ConfigViewModel config, int inputSize, int classes) {
        this.config = config;
        this.inputSize = inputSize;
        this.classes = classes;
        for (Observable o : new Observable[] {config.convProperty(), config.hiddenProperty(), config.activationProperty(),
                config.batchNormProperty(), config.dropoutProperty(), config.lossProperty(), selected}) {
            o.addListener(x -> refresh());
        }
        refresh();
    }

    /** The rows, redrawn on every change of the net. */
    public ObservableList<Row> rows() {
        return rowsView;
    }

    /** Why the net cannot be built as it is (a conv stage that does not tile its input, no layer at all), or "". */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The selected item, an index into {@link #items()}; -1 for none. */
    public IntegerProperty selectedProperty() {
        return selected;
    }

    /** The selected item, null for none. */
    public ReadOnlyObjectProperty<Item> selectedItemProperty() {
        return selectedItem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canMoveUpProperty() {
        return canMoveUp.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canMoveDownProperty() {
        return canMoveDown.getReadOnlyProperty();
    }

    /** False at {@link #MAX_HIDDEN} hidden layers. */
    public ReadOnlyBooleanProperty canAddHiddenProperty() {
        return canAddHidden.getReadOnlyProperty();
    }

    /** The net's items as the fields hold them: its conv stages, then its hidden layers. */
    public List<Item> items() {
        List<Item> items = new ArrayList<>();
        stages().forEach(s -> items.add(new Stage(s)));
        hidden().forEach(h -> items.add(new Hidden(h)));
        return items;
    }

    /**
     * Adds a conv stage after the selected one (a copy of it), else after the last (a copy of it, or ConvNetJS's first).
     * The first stage of a net still on the lecture's init (gaussian std 1e-4, which does not train a conv net) switches
     * it to He's, as the CLI's --net does.
     */
    public void addConvStage() {
        List<ConvStage> stages = new ArrayList<>(stages());
        if (stages.isEmpty() && config.initProperty().get() == WeightInit.Kind.GAUSSIAN
                && config.initStdProperty().get() == WeightInit.LECTURE.std()) {
            config.initProperty().set(WeightInit.Kind.HE);
        }
        int at = selected.get() >= 0 && selected.get() < stages.size() ? selected.get() + 1 : stages.size();
        stages.add(at, at > 0 ? stages.get(at - 1) : FIRST_STAGE);
        setStages(stages);
        selected.set(at);
    }

    /** Adds a hidden layer after the selected one (as wide), else after the last (as wide, or the lecture's 50). */
    public void addHiddenLayer() {
        int n = stages().size();
        List<Integer> sizes = new ArrayList<>(hidden());
        if (sizes.size() >= MAX_HIDDEN) {
            return; // the button is disabled then (canAddHidden)
        }
        int at = selected.get() >= n ? selected.get() - n + 1 : sizes.size();
        sizes.add(at, at > 0 ? sizes.get(at - 1) : FIRST_UNITS);
        setHidden(sizes);
        selected.set(n + at);
    }

    /** Removes the selected item; the one now in its place (or the one before) is selected. */
    public void removeSelected() {
        int i = selected.get();
        List<Item> items = items();
        if (i < 0 || i >= items.size()) {
            return;
        }
        items.remove(i);
        write(items);
        selected.set(items.isEmpty() ? -1 : Math.min(i, items.size() - 1));
    }

    /** Moves the selected item up one place among its kind (conv stages stay before the hidden layers). */
    public void moveUp() {
        if (canMoveUp.get()) {
            swap(selected.get() - 1);
        }
    }

    /** Moves the selected item down one place among its kind. */
    public void moveDown() {
        if (canMoveDown.get()) {
            swap(selected.get());
        }
    }

    private void swap(int first) {
        List<Item> items = items();
        items.set(first, items.set(first + 1, items.get(first)));
        write(items);
        selected.set(selected.get() == first ? first + 1 : first);
    }

    /**
     * The selected conv stage becomes {@code edit} of it (e.g. another filter count); IllegalArgumentException if that
     * is no stage (pool 1, kernel 0). Nothing is selected, or a hidden layer: nothing happens.
     */
    public void editStage(UnaryOperator<ConvStage> edit) {
        if (selectedItem.get() instanceof Stage s) {
            ConvStage changed = edit.apply(s.stage());
            List<ConvStage> stages = new ArrayList<>(stages());
            stages.set(selected.get(), changed);
            setStages(stages);
        }
    }

    /** The selected hidden layer gets {@code units}; IllegalArgumentException if out of range. */
    public void editHidden(int units) {
        if (selectedItem.get() instanceof Hidden) {
            new Hidden(units); // validates
            List<Integer> sizes = new ArrayList<>(hidden());
            sizes.set(selected.get() - stages().size(), units);
            setHidden(sizes);
        }
    }

    private void write(List<Item> items) {
        List<ConvStage> stages = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Item it : items) {
            if (it instanceof Stage s) {
                stages.add(s.stage());
            } else if (it instanceof Hidden h) {
                sizes.add(h.units());
            }
        }
        setStages(stages);
        setHidden(sizes);
    }

    private void setStages(List<ConvStage> stages) {
        config.convProperty().set(ConvStage.format(stages));
    }

    private void setHidden(List<Integer> sizes) {
        config.hiddenProperty().set(String.join(", ", sizes.stream().map(String::valueOf).toList()));
    }

    private List<ConvStage> stages() {
        try {
            return ConvStage.parse(config.convProperty().get());
        } catch (IllegalArgumentException e) {
            return List.of(); // the field takes only text that parses; a stored value that does not is shown as none
        }
    }

    private List<Integer> hidden() {
        try {
            return ConfigViewModel.parseHidden(config.hiddenProperty().get() == null ? "" : config.hiddenProperty().get());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Redraws the rows, the problem, the selected item and what can move, from the fields. */
    private void refresh() {
        List<ConvStage> stages = stages();
        List<Integer> sizes = hidden();
        int count = stages.size() + sizes.size();
        if (selected.get() >= count) {
            selected.set(count - 1); // refreshes again with the item in range
            return;
        }
        int sel = selected.get();
        selectedItem.set(sel < 0 ? null : sel < stages.size() ? new Stage(stages.get(sel)) : new Hidden(sizes.get(sel - stages.size())));
        canMoveUp.set(sel > 0 && sel != stages.size());
        canMoveDown.set(sel >= 0 && sel + 1 < count && sel + 1 != stages.size());
        canAddHidden.set(sizes.size() < MAX_HIDDEN);

        Activation act = config.activationProperty().get();
        boolean bn = config.batchNormProperty().get();
        double dropout = config.dropoutProperty().get();
        LossKind loss = config.lossProperty().get();
        List<Row> out = new ArrayList<>();
        String trouble = "";
        String shape;
        Volume v = null;
        if (stages.isEmpty()) {
            shape = String.valueOf(inputSize);
        } else {
            try {
                v = NetConfig.imageVolume(inputSize);
                shape = v.toString();
            } catch (IllegalArgumentException e) {
                trouble = e.getMessage();
                shape = inputSize + " values";
            }
        }
        out.add(new Row("input", shape, -1));
        for (int i = 0; i < stages.size(); i++) {
            ConvStage s = stages.get(i);
            String conv = "conv " + s.kernel() + "x" + s.kernel() + "x" + s.filters() + (s.stride() == 1 ? "" : " stride " + s.stride())
                    + (s.pad() == 0 ? "" : " pad " + s.pad());
            String convShape = "?";
            String poolShape = "?";
            if (v != null) {
                Volume in = v;
                try {
                    Volume c = new ConvStage(s.filters(), s.kernel(), s.stride(), s.pad(), 0).output(in);
                    convShape = c.toString();
                    v = s.output(in);
                    poolShape = v.toString();
                } catch (IllegalArgumentException e) {
                    trouble = "'" + s + "' over " + in + ": " + e.getMessage();
                    if (!convShape.equals("?")) {
                        poolShape = NO_TILE;
                    } else {
                        convShape = NO_TILE;
                    }
                    v = null;
                }
            }
            out.add(new Row(conv, convShape, i));
            String after = convShape.equals(NO_TILE) ? "?" : convShape; // the layers after a conv that does not tile
            if (bn) {
                out.add(new Row("spatial batch norm", after, i));
            }
            out.add(new Row(act.toString(), after, i));
            if (s.pool() > 0) {
                out.add(new Row("max pool " + s.pool() + "x" + s.pool(), poolShape, i));
            }
        }
        for (int j = 0; j < sizes.size(); j++) {
            int item = stages.size() + j;
            String units = String.valueOf(sizes.get(j));
            out.add(new Row("affine " + units, units, item));
            if (bn) {
                out.add(new Row("batch norm", units, item));
            }
            out.add(new Row(act.toString(), units, item));
            if (dropout > 0) {
                out.add(new Row("dropout " + Numbers.exact(dropout), units, item));
            }
        }
        out.add(new Row("affine " + classes + " (scores)", String.valueOf(classes), -1));
        out.add(new Row(loss.toString() + " loss", "1", -1));
        if (trouble.isEmpty() && count == 0) {
            trouble = "a net needs at least one conv stage or hidden layer: add one";
        }
        if (!out.equals(rows)) {
            rows.setAll(out);
        }
        problem.set(trouble);
    }
}
