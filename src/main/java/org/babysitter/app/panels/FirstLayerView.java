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

/**
 * The first layer's weights as colour images (a fully connected unit's 32x32, a conv filter's k x k), a grid of up to
 * 10 x 10 units, each drawn at least 96 px wide, its pixels as squares.
 */
public final class FirstLayerView {
    private FirstLayerView() {
    }

    public static Node of(RunEvaluation e) {
        List<int[]> images = e.firstLayer();
        VBox box = new VBox(8);
        if (images.isEmpty()) {
            box.getChildren().add(new Label("This net's first layer does not read square colour images: nothing to draw."));
            return box;
        }
        int side = (int) Math.round(Math.sqrt(images.get(0).length));
        box.getChildren().add(new Label("Epoch " + e.epoch() + "'s parameters: each " + (side == Cifar.WIDTH
                ? "unit's 3,072 weights as an image" : side + "x" + side + " filter's " + 3 * side * side + " weights as an image")
                + ", stretched to its own range. Smooth, coloured " + (side == Cifar.WIDTH ? "templates" : "edges and blobs")
                + ": the unit learned; noise: not yet."));
        int fit = side * Math.max(3, (96 + side - 1) / side);
        GridPane g = new GridPane();
        g.setId("first-layer-grid");
        g.setHgap(3);
        g.setVgap(3);
        int cols = (int) Math.ceil(Math.sqrt(images.size()));
        for (int k = 0; k < images.size(); k++) {
            // enlarged pixel by pixel here: an ImageView's own scaling blurs them on some pipelines, whatever setSmooth says
            int scale = fit / side;
            int[] src = images.get(k);
            int[] big = new int[fit * fit];
            for (int y = 0; y < fit; y++) {
                for (int x = 0; x < fit; x++) {
                    big[y * fit + x] = src[(y / scale) * side + x / scale];
                }
            }
            WritableImage img = new WritableImage(fit, fit);
            img.getPixelWriter().setPixels(0, 0, fit, fit, PixelFormat.getIntArgbInstance(), big, 0, fit);
            ImageView v = new ImageView(img);
            Tooltip.install(v, new Tooltip("unit " + (k + 1)));
            g.add(v, k % cols, k / cols);
        }
        box.getChildren().add(g);
        return box;
    }
}
