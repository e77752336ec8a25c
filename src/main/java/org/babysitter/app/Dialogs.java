package org.babysitter.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javafx.stage.Window;

import org.babysitter.app.session.CheckReport;
import org.babysitter.app.session.DownloadChoice;
import org.babysitter.app.session.DownloadRequest;
import org.babysitter.app.session.Notice;

/** Every dialog the window opens, behind one interface (tests replace the file choosers and questions). */
public interface Dialogs {
    /** The official .tar.gz or a .bin batch. */
    Optional<Path> chooseDataFile(Window owner);

    /** A cifar-10-batches-bin or cifar-10-batches-py folder (or the one holding it). */
    Optional<Path> chooseDataFolder(Window owner);

    /**
     * What to download (binary or python version, the folder, the mirror), starting from {@code suggested}; or that
     * the user already has the archive and wants to open it.
     */
    Optional<DownloadChoice> chooseDownload(Window owner, DownloadRequest suggested);

    /**
     * Where to save a chart image, PNG or SVG by the name's extension (a name without one gets the chosen filter's);
     * replacing a file is confirmed. (Named for PNG, its first format.)
     */
    Optional<Path> chooseImageFile(Window owner, String suggestedName);

    /** Where to save the metrics CSV (the native dialog confirms overwriting). */
    Optional<Path> chooseCsvFile(Window owner);

    /** Where to save a text report, starting from {@code suggestedName} (the native dialog confirms overwriting). */
    Optional<Path> chooseTextFile(Window owner, String suggestedName);

    /** A search spec (JSON, the CLI's search --spec format): one to read, or where to save one. */
    Optional<Path> chooseSpecFile(Window owner, boolean save);

    /** A net file (JSON, the CLI's train --net FILE.json format): one to open, or where to save one. */
    Optional<Path> chooseNetFile(Window owner, boolean save);

    /** A workspace folder for the run store, starting at {@code current} (may be null). */
    Optional<Path> chooseWorkspaceFolder(Window owner, Path current);

    /** A folder for "Export all charts". */
    Optional<Path> chooseExportFolder(Window owner);

    /** Image width and height, starting from the given ones. */
    Optional<int[]> chooseSize(Window owner, int width, int height);

    /** Asks before files are replaced; true to go ahead. */
    boolean confirmOverwrite(Window owner, List<Path> existing);

    /** Asks before something that cannot be taken back; true to go ahead with {@code action}. */
    boolean confirm(Window owner, String title, String message, String action);

    /** An error or a message. */
    void show(Window owner, Notice notice);

    /** The table of a gradient check. */
    void showReport(Window owner, CheckReport report);

    /** What the workbench is and how to read it. */
    void showAbout(Window owner, String text);

    /** A view that is only looked at: a title, a header line and the view. */
    void showView(Window owner, String title, String header, javafx.scene.Node view);

    /**
     * A view one works with beside the window (it does not block the window): a title, a header line and the view,
     * which it keeps while open.
     */
    void showPanel(Window owner, String title, String header, javafx.scene.Node view);

    /** A page of help: a title, a header line and its text (scrolls when long). */
    void showHelp(Window owner, String title, String header, String text);
}
