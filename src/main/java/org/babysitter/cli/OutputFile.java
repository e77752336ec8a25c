package org.babysitter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.babysitter.engine.io.FileProblems;

/**
 * A file an option writes (a PNG, a report), checked before any work: its folder exists, it is not a folder, not the
 * training data, and an existing file is replaced only with {@code --overwrite}.
 */
final class OutputFile {
    private OutputFile() {
    }

    /** Throws {@link IllegalArgumentException} (exit 2, one line) naming {@code option} if {@code file} cannot be used. */
    static void check(String option, Path file, boolean overwrite, Path data) {
        Path dir = file.getParent() != null ? file.getParent() : Path.of(".");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + ": the folder " + dir + " does not exist; create it first");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + ": " + file + " is a folder");
        }
        if (Files.exists(file)) {
            try {
                if (data != null && Files.exists(data) && Files.isSameFile(file, data)) {
                    throw new IllegalArgumentException(option + " would replace " + file + ", which is the training data");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(option + ": cannot use " + file + ": " + FileProblems.describe(e));
            }
            if (!overwrite) {
                throw new IllegalArgumentException(option + " would replace " + file + "; choose another name, or add --overwrite");
            }
        }
    }
}
