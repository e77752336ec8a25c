package org.babysitter.app.session;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.preprocess.Preprocessing;

/** The data panel's state: what is loaded, loading progress, and the preprocessing and subset choices. */
public final class DataViewModel {
    /** A sample image with its class name. */
    public record Sample(Image image, String label) {
    }

    private final StringProperty source = new SimpleStringProperty("");
    private final StringProperty split = new SimpleStringProperty("");
    private final StringProperty classes = new SimpleStringProperty("");
    private final ObservableList<Sample> samples = FXCollections.observableArrayList();
    private final ObjectProperty<Image> meanImage = new SimpleObjectProperty<>();
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final DoubleProperty loadProgress = new SimpleDoubleProperty();
    private final StringProperty loadMessage = new SimpleStringProperty("");
    private final IntegerProperty trainSize = new SimpleIntegerProperty();
    private final ObjectProperty<Preprocessing> preprocessing = new SimpleObjectProperty<>(Preprocessing.MEAN_IMAGE);
    private final IntegerProperty trainSubset = new SimpleIntegerProperty(0);
    private final BooleanProperty loaded = new SimpleBooleanProperty();

    /** The loading progress follows the data loader's jobs. */
    void bindLoading(BackgroundJobs loads) {
        loading.bind(loads.runningProperty());
        loadProgress.bind(loads.progressProperty());
        loadMessage.bind(loads.messageProperty());
    }

    void show(DataSummary s) {
        trainSize.set(s.trainSize());
        source.set(s.source());
        split.set(s.split());
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < s.classNames().size(); c++) {
            if (c > 0) {
                sb.append(", ");
            }
            sb.append(s.classNames().get(c)).append(" (").append(s.trainClassCounts()[c]).append(')');
        }
        classes.set(sb.toString());
        samples.setAll(s.samples().stream().map(x -> new Sample(image(x.argb()), x.label())).toList());
        meanImage.set(image(s.meanImageArgb()));
        loaded.set(true);
    }

    static Image image(int[] argb) {
        WritableImage img = new WritableImage(Cifar.WIDTH, Cifar.HEIGHT);
        img.getPixelWriter().setPixels(0, 0, Cifar.WIDTH, Cifar.HEIGHT, PixelFormat.getIntArgbInstance(), argb, 0, Cifar.WIDTH);
        return img;
    }

    public StringProperty sourceProperty() {
        return source;
    }

    public StringProperty splitProperty() {
        return split;
    }

    public StringProperty classesProperty() {
        return classes;
    }

    public ObservableList<Sample> samples() {
        return samples;
    }

    public ObjectProperty<Image> meanImageProperty() {
        return meanImage;
    }

    public javafx.beans.value.ObservableBooleanValue loadingProperty() {
        return loading;
    }

    public javafx.beans.value.ObservableDoubleValue loadProgressProperty() {
        return loadProgress;
    }

    public javafx.beans.value.ObservableStringValue loadMessageProperty() {
        return loadMessage;
    }

    public ObjectProperty<Preprocessing> preprocessingProperty() {
        return preprocessing;
    }

    /** Train on the first N training images only (0 = all): the lecture's overfitting check uses 20. */
    public IntegerProperty trainSubsetProperty() {
        return trainSubset;
    }

    public BooleanProperty loadedProperty() {
        return loaded;
    }

    /** Training images of the loaded set (before any subset). */
    public IntegerProperty trainSizeProperty() {
        return trainSize;
    }
}
