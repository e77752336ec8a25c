package org.babysitter.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.babysitter.engine.io.AtomicFiles;

/**
 * {@code train --filters}: the first layer's weights as one PNG, a grid of square images 2 px apart, each drawn at
 * least 64 px wide (a 32x32 unit 2x, a 5x5 conv filter 13x).
 */
final class FilterGrid {
    private static final int MIN_CELL = 64;
    private static final int GAP = 2;

    private FilterGrid() {
    }

    /** Before training: a .png name in a folder that exists, not a folder, not the data, not replacing a file unasked. */
    static void check(Path png, boolean overwrite, Path data) {
        if (!png.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--filters writes a PNG: name it FILE.png, not " + png.getFileName());
        }
        OutputFile.check("--filters", png, overwrite, data);
    }

    /** Writes the grid atomically, with the user's normal permissions. */
    static void write(Path png, List<int[]> images) throws IOException {
        int cols = (int) Math.ceil(Math.sqrt(images.size()));
        int rows = (images.size() + cols - 1) / cols;
        int side = (int) Math.round(Math.sqrt(images.get(0).length));
        int scale = (MIN_CELL + side - 1) / side;
        int cell = side * scale + GAP;
        BufferedImage grid = new BufferedImage(cols * cell + GAP, rows * cell + GAP, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                grid.setRGB(x, y, 0xFFFFFF);
            }
        }
        for (int k = 0; k < images.size(); k++) {
            int[] img = images.get(k);
            int left = GAP + (k % cols) * cell;
            int top = GAP + (k / cols) * cell;
            for (int p = 0; p < img.length; p++) {
                int px = p % side;
                int py = p / side;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        grid.setRGB(left + px * scale + dx, top + py * scale + dy, img[p]);
                    }
                }
            }
        }
        AtomicFiles.write(png, out -> ImageIO.write(grid, "png", out));
    }
}
