package org.babysitter.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javafx.stage.Window;

/** The real alerts, but file choosers and the size dialog answer from fields the test sets. */
class StubDialogs extends FxDialogs {
    volatile Path dataFile;
    volatile Path pngFile;
    volatile Path folder;
    volatile Path csvFile;
    volatile Path textFile;
    volatile int[] size = {640, 400};
    volatile boolean overwrite;
    final List<List<Path>> overwriteQuestions = new ArrayList<>();
    volatile boolean confirmAnswer;
    final List<String> questions = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Optional<Path> chooseDataFile(Window owner) {
        return Optional.ofNullable(dataFile);
    }

    @Override
    public Optional<Path> chooseDataFolder(Window owner) {
        return Optional.ofNullable(dataFile);
    }

    /** The answer of the download dialog (null: cancelled), unless the real dialog is shown; the request offered is kept. */
    volatile org.babysitter.app.session.DownloadChoice downloadChoice;
    volatile boolean realDownloadDialog;
    volatile org.babysitter.app.session.DownloadRequest offeredDownload;

    @Override
    public Optional<org.babysitter.app.session.DownloadChoice> chooseDownload(Window owner,
            org.babysitter.app.session.DownloadRequest suggested) {
        offeredDownload = suggested;
        return realDownloadDialog ? super.chooseDownload(owner, suggested) : Optional.ofNullable(downloadChoice);
    }

    @Override
    public Optional<Path> chooseImageFile(Window owner, String suggestedName) {
        return Optional.ofNullable(pngFile);
    }

    volatile Path specFile;

    @Override
    public Optional<Path> chooseSpecFile(Window owner, boolean save) {
        return Optional.ofNullable(specFile);
    }

    volatile Path netFile;

    @Override
    public Optional<Path> chooseNetFile(Window owner, boolean save) {
        return Optional.ofNullable(netFile);
    }

    @Override
    public Optional<Path> chooseCsvFile(Window owner) {
        return Optional.ofNullable(csvFile);
    }

    @Override
    public Optional<Path> chooseTextFile(Window owner, String suggestedName) {
        return Optional.ofNullable(textFile);
    }

    @Override
    public Optional<Path> chooseExportFolder(Window owner) {
        return Optional.ofNullable(folder);
    }

    volatile Path workspace;

    @Override
    public Optional<Path> chooseWorkspaceFolder(Window owner, Path current) {
        return Optional.ofNullable(workspace);
    }

    @Override
    public Optional<int[]> chooseSize(Window owner, int width, int height) {
        return Optional.ofNullable(size);
    }

    @Override
    public boolean confirm(Window owner, String title, String message, String action) {
        questions.add(title);
        return confirmAnswer;
    }

    @Override
    public boolean confirmOverwrite(Window owner, List<Path> existing) {
        overwriteQuestions.add(List.copyOf(existing));
        return overwrite;
    }
}
