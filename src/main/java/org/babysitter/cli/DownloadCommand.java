package org.babysitter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

import org.babysitter.engine.data.Download;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.io.AppFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code babysitter download}: the official CIFAR-10 archive, resumable, its MD5 verified. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Downloads the official CIFAR-10 archive (cifar-10-binary.tar.gz, 162 MB; --python: cifar-10-python.tar.gz)"
                + " into NAME.part, resuming a .part left by an earlier try, checks its MD5 and only then gives it its name."
                + " A file already there with the right MD5 is not downloaded again; a different one is never overwritten."
                + " Ctrl-C keeps the .part for the next try. Then: babysitter train --data DIR/cifar-10-binary.tar.gz"})
final class DownloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--python", description = "The python version (cifar-10-python.tar.gz) instead of the binary one.")
    boolean python;

    @Option(names = "--to", paramLabel = "DIR",
            description = "The folder to download into (default: data in the application-data folder, e.g."
                    + " ~/.local/share/babysitter/data on Linux; Help > About in the window shows it).")
    Path to;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Where the archive is, the archive's name appended (default: " + Download.OFFICIAL_MIRROR + ").")
    String mirror = Download.OFFICIAL_MIRROR;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up when the server sends nothing for this long, and when connecting takes longer (default: ${DEFAULT-VALUE}).")
    double timeout = Download.DEFAULT_READ_TIMEOUT.toSeconds();

    @Option(names = "--md5", paramLabel = "HEX", hidden = true,
            description = "The MD5 to expect instead of the official one (a mirror of another file; tests).")
    String md5;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(timeout > 0) || timeout > 86_400) {
            throw new Main.Failure("--timeout must be a positive number of seconds (at most a day), not " + timeout, Main.BAD_INPUT);
        }
        Path folder = to != null ? to : AppFolders.data();
        if (java.nio.file.Files.exists(folder) && !java.nio.file.Files.isDirectory(folder)) {
            throw new Main.Failure("--to: " + folder + " is a file, not a folder", Main.BAD_INPUT);
        }
        Download.Archive archive = python ? Download.Archive.PYTHON : Download.Archive.BINARY;
        if (md5 != null) {
            try {
                archive = new Download.Archive(archive.name(), -1, md5);
            } catch (IllegalArgumentException e) {
                throw new Main.Failure("--md5: " + e.getMessage(), Main.BAD_INPUT);
            }
        }
        Duration t = Duration.ofMillis(Math.max(1, Math.round(timeout * 1000)));
        Download download;
        try {
            download = new Download(archive, mirror, folder).readTimeout(t).connectTimeout(t);
        } catch (IllegalArgumentException e) {
            throw new Main.Failure(e.getMessage(), Main.BAD_INPUT);
        }
        if (download.partFile().toFile().exists()) {
            err.println("Resuming " + download.partFile());
        }
        err.println("Downloading " + download.url() + " to " + folder);
        PrintingProgress progress = new PrintingProgress(err, archive.name());
        try (StopOnSignal stop = new StopOnSignal(err)) {
            stop.watch(progress::cancel, "stopping the download; the .part is kept for the next try...");
            Download.Result result;
            try {
                result = download.run(progress);
            } catch (CancellationException e) {
                err.println("babysitter: " + e.getMessage());
                return Main.INTERRUPTED;
            } catch (Download.DownloadException e) {
                throw new Main.Failure(e.getMessage(), java.nio.file.Files.exists(download.target()) ? Main.BAD_INPUT : 1);
            }
            if (result.alreadyThere()) {
                out.println(result.file() + " already there, checksum verified");
            } else {
                out.println(result.file());
                out.println("MD5 verified: " + archive.md5());
            }
            return 0;
        }
    }

    /** Prints the engine's progress lines (at most four a second) with the percentage. */
    static final class PrintingProgress implements Progress {
        private final PrintWriter err;
        private final String name;
        private volatile boolean cancelled;
        private String last = "";

        PrintingProgress(PrintWriter err, String name) {
            this.err = err;
            this.name = name;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public void update(double fraction, String what) {
            String line = String.format(Locale.ROOT, "%s: %3d%%  %s", name, (int) Math.floor(fraction * 100), what);
            if (!line.equals(last)) {
                last = line;
                err.println(line);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
