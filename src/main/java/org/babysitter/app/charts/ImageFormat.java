package org.babysitter.app.charts;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The formats a chart is exported in: PNG (pixels) or SVG (vector: for slides and papers, sharp at any size). */
public enum ImageFormat {
    PNG("png", "PNG image"), SVG("svg", "SVG vector image");

    private final String extension;
    private final String description;

    ImageFormat(String extension, String description) {
        this.extension = extension;
        this.description = description;
    }

    /** "png" or "svg", without the dot. */
    public String extension() {
        return extension;
    }

    /** For a file chooser's filter: "PNG image". */
    public String description() {
        return description;
    }

    /** The format a file name asks for by its extension (any case), if it is one of these. */
    public static Optional<ImageFormat> of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (ImageFormat f : values()) {
            if (name.endsWith("." + f.extension)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** {@code file} with this format's extension added unless its name has it already. */
    public Path withExtension(Path file) {
        return of(file).filter(f -> f == this).isPresent() ? file : file.resolveSibling(file.getFileName() + "." + extension);
    }
}
