package org.babysitter.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javafx.stage.Window;

import org.babysitter.app.session.Notice;

/** Every dialog the window opens, behind one interface (tests replace the file choosers). */
public interface Dialogs {
    /** The official .tar.gz or a .bin batch. */
    Optional<Path> chooseDataFile(Window owner);

    /** A cifar-10-batches-bin folder (or the one holding it). */
    Optional<Path> chooseDataFolder(Window owner);

    /** Where to save a PNG (the native dialog confirms overwriting). */
    Optional<Path> choosePngFile(Window owner, String suggestedName);

    /** Where to save the metrics CSV (the native dialog confirms overwriting). */
    Optional<Path> chooseCsvFile(Window owner);

    /** A folder for "Export all charts". */
    Optional<Path> chooseExportFolder(Window owner);

    /** Image width and height, starting from the given ones. */
    Optional<int[]> chooseSize(Window owner, int width, int height);

    /** Asks before files are replaced; true to go ahead. */
    boolean confirmOverwrite(Window owner, List<Path> existing);

    /** An error or a report. */
    void show(Window owner, Notice notice);
}
