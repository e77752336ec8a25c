package org.babysitter.engine.data;

import java.nio.file.Path;

/**
 * A data file that cannot be used, with the file and what is wrong with it in words. Loading either
 * returns a complete data set or throws this: never a half-loaded set.
 */
public class DataFormatException extends Exception {
    private final transient Path file;
    private final String problem;

    public DataFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    public DataFormatException(Path file, String problem, Throwable cause) {
        super((file == null ? "" : file.getFileName() + ": ") + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file (or folder) at fault. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
