package org.babysitter.app.panels;

import java.util.List;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.metrics.RunEvaluation;

/** The first layer's weights as 32x32 colour images, a grid of up to 10 x 10 units, drawn 3x without smoothing. */
public final class FirstLayerView {
    private FirstLayerView() {
    }

    public static Node of(RunEvaluation e) {
        List<int[]> images = e.firstLayer();
        VBox box = new VBox(8);
        if (images.isEmpty()) {
            box.getChildren().add(new Label("This net's first layer does not read 32x32 colour images: nothing to draw."));
            return box;
        }
        box.getChildren().add(new Label("Epoch " + e.epoch() + "'s parameters: each unit's 3,072 weights as an image, stretched to"
                + " its own range. Smooth, coloured templates: the unit learned; noise: not yet."));
        GridPane g = new GridPane();
        g.setId("first-layer-grid");
        g.setHgap(3);
        g.setVgap(3);
        int cols = (int) Math.ceil(Math.sqrt(images.size()));
        for (int k = 0; k < images.size(); k++) {
            WritableImage img = new WritableImage(Cifar.WIDTH, Cifar.HEIGHT);
            img.getPixelWriter().setPixels(0, 0, Cifar.WIDTH, Cifar.HEIGHT, PixelFormat.getIntArgbInstance(), images.get(k), 0,
                    Cifar.WIDTH);
            ImageView v = new ImageView(img);
            v.setSmooth(false);
            v.setFitWidth(3 * Cifar.WIDTH);
            v.setFitHeight(3 * Cifar.HEIGHT);
            Tooltip.install(v, new Tooltip("unit " + (k + 1)));
            g.add(v, k % cols, k / cols);
        }
        box.getChildren().add(g);
        return box;
    }
}
