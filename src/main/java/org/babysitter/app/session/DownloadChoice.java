package org.babysitter.app.session;

/** What the download dialog answered: fetch an archive, or open a file the user already has instead. */
public sealed interface DownloadChoice {
    /** Download (or verify, if it is there already) and then open. */
    record Fetch(DownloadRequest request) implements DownloadChoice {
        public Fetch {
            java.util.Objects.requireNonNull(request, "request");
        }
    }

    /** The user has the archive already: open it with the usual file chooser. */
    record UseFileIHave() implements DownloadChoice {
    }
}
