package org.babysitter.app.session;

import java.nio.file.Path;
import java.util.Objects;

import org.babysitter.engine.data.Download;
import org.babysitter.engine.io.AppFolders;

/**
 * What File > Download CIFAR-10... fetches: which archive (the binary or the python version, with its size and MD5),
 * the folder it is kept in and the mirror it comes from (a base URL the archive's name is appended to).
 */
public record DownloadRequest(Download.Archive archive, Path folder, String mirror) {
    public DownloadRequest {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(folder, "folder");
        mirror = mirror == null || mirror.isBlank() ? Download.OFFICIAL_MIRROR : mirror.strip();
        if (!mirror.startsWith("http://") && !mirror.startsWith("https://")) {
            throw new IllegalArgumentException("the mirror must be an http:// or https:// URL, not '" + mirror + "'");
        }
    }

    /** The official binary archive from the official site into the application's data folder. */
    public static DownloadRequest defaults() {
        return new DownloadRequest(Download.Archive.BINARY, AppFolders.data(), Download.OFFICIAL_MIRROR);
    }

    /** The file the archive ends up as. */
    public Path target() {
        return folder.resolve(archive.name());
    }

    /** The download this request describes. */
    public Download download() {
        return new Download(archive, mirror, folder);
    }
}
