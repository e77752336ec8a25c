package org.babysitter.app.session;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.CifarReader;
import org.babysitter.engine.data.Download;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.preprocess.PreparedData;

/**
 * Loading data: the built-in set or CIFAR-10 from a path, in the background with progress and cancel. A load either
 * replaces the data set whole or leaves the one before in place (a bad file, a cancel). FX thread.
 */
public final class DataController {
    private final DataViewModel view = new DataViewModel();
    private final BackgroundJobs loads;
    private final Consumer<Notice> notices;
    private final Consumer<String> status;
    private final BooleanSupplier runActive;
    private BackgroundJobs.Job current;
    private LoadedImages images;
    private Path path;

    /** A loaded set, the file or folder it was read from (null: built-in), and what the data panel shows of it. */
    private record Loaded(LoadedImages images, Path path, DataSummary summary) {
        Loaded {
            if (images == null || summary == null) {
                throw new IllegalArgumentException("a loaded set has its images and their summary");
            }
        }
    }

    DataController(UiPump pump, Consumer<Notice> notices, Consumer<String> status, BooleanSupplier runActive) {
        this.loads = new BackgroundJobs(pump);
        this.notices = notices;
        this.status = status;
        this.runActive = runActive;
        view.bindLoading(loads);
    }

    /** Loads the built-in generated images (no download). */
    public void loadBuiltIn() {
        open("built-in data", null, p -> BuiltInData.generate());
    }

    /** Loads CIFAR-10 from a folder, the official .tar.gz or a .bin; on failure the current data set stays. */
    public void open(Path path) {
        open(String.valueOf(path.getFileName()), path, p -> CifarReader.read(path, p));
    }

    private void open(String what, Path from, Reader reader) {
        load("Opening " + what, "Loaded", "Cannot open the data", from, reader,
                () -> status.accept("Loading cancelled." + (images == null ? "" : " The data set loaded before stays.")));
    }

    /**
     * Downloads the archive of {@code request} (resuming a {@code .part} left by an earlier try), checks its MD5 and
     * opens it. An archive already in the folder is verified and opened without downloading; a cancel keeps the
     * {@code .part} for the next try; a corrupt download is deleted and said so. The data set loaded before stays
     * until the new one is read.
     */
    public void download(DownloadRequest request) {
        Download download = request.download();
        String name = request.archive().name();
        load("Downloading " + name, "Verified the archive's MD5 and loaded", "Cannot download CIFAR-10", request.target(), p -> {
            Download.Result result = download.run(p);
            p.checkCancelled();
            return CifarReader.read(result.file(), p);
        }, () -> status.accept("Download cancelled: " + download.partFile().getFileName() + " kept, Download again to resume."
                + (images == null ? "" : " The data set loaded before stays.")));
    }

    /** What a load reads. */
    private interface Reader {
        LoadedImages read(org.babysitter.engine.data.Progress progress) throws Exception;
    }

    /**
     * Reads in the background and replaces the data set (the status bar says {@code done} and what was loaded), or
     * tells {@code failure} (a notice's title) or {@code cancelled} and keeps the data set loaded before.
     */
    private void load(String title, String done, String failure, Path from, Reader reader, Runnable cancelled) {
        if (runActive.getAsBoolean()) {
            notices.accept(new Notice("A run is training", "Stop the run before loading other data"
                    + ": the run trains on the data loaded now, and the window shows the data it trains on.", true));
            return;
        }
        loads.cancelAll(); // a newer load replaces one under way
        var preprocessing = view.preprocessingProperty().get();
        current = loads.start(title, p -> {
            LoadedImages li = reader.read(p);
            p.checkCancelled();
            PreparedData pd = PreparedData.prepare(li, SplitSpec.LECTURE, preprocessing);
            return new Loaded(li, from, DataSummary.of(pd.dataset(), pd.preprocessor().meanImage(), 1));
        }, new BackgroundJobs.Outcome<>() {
            @Override
            public void succeeded(Loaded result) {
                images = result.images();
                path = result.path();
                view.show(result.summary());
                status.accept(done + " " + result.summary().source() + ": " + result.summary().split() + ".");
            }

            @Override
            public void failed(String message) {
                notices.accept(new Notice(failure, message + (images == null ? ""
                        : "\n\nThe data set loaded before stays: " + view.sourceProperty().get()), true));
            }

            @Override
            public void cancelled() {
                cancelled.run();
            }
        });
    }

    public void cancelLoad() {
        loads.cancelAll();
    }

    /** The loaded images, or null before the first load. */
    public LoadedImages images() {
        return images;
    }

    /** The loaded images, or null after telling {@code notices} that there are none to work on yet. */
    LoadedImages imagesOrSay(java.util.function.Consumer<Notice> notices) {
        if (images == null) {
            notices.accept(new Notice("No data", "Load a data set first (File > Open CIFAR-10..., or built-in data).", true));
        }
        return images;
    }

    /**
     * The file or folder the loaded images were read from, or null (built-in data): a recorded run's data identity is
     * this file's checksum, as {@code train --data F --store} records it.
     */
    public Path path() {
        return path;
    }

    public boolean hasData() {
        return images != null;
    }

    public DataViewModel view() {
        return view;
    }
}
