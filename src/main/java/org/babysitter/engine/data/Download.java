package org.babysitter.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * A verified download of a CIFAR-10 archive: into {@code NAME.part} in the folder given, resumed with an HTTP Range
 * request when a {@code .part} is there, its MD5 checked against the official one before it is moved atomically to its
 * final name. A complete file with the right MD5 is not downloaded again; a different file of that name is never
 * overwritten. Cancelling ({@link Progress#isCancelled()} or an interrupt) keeps the {@code .part} for a later resume.
 */
public final class Download {
    /** The official archives' home. */
    public static final String OFFICIAL_MIRROR = "https://www.cs.toronto.edu/~kriz/";
    /** Default read timeout: no byte for this long ends the download with a message. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How often progress is reported at most. */
    static final long REPORT_NANOS = 250_000_000L;
    /** Automatic resumes after a dropped connection (when bytes arrived since the last one). */
    static final int MAX_RESUMES = 3;

    /** A known archive: its file name, size in bytes (or -1 if unknown) and MD5 in lower-case hex. */
    public record Archive(String name, long size, String md5) {
        /** The official binary version. */
        public static final Archive BINARY = new Archive("cifar-10-binary.tar.gz", 170_052_171L, "c32a1d4ab5d03f1284b67883e8d87530");
        /** The official python version. */
        public static final Archive PYTHON = new Archive("cifar-10-python.tar.gz", 170_498_071L, "c58f30108f718f92721af3b95e74349a");

        public Archive {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("not a file name: " + name);
            }
            md5 = md5.toLowerCase(Locale.ROOT);
            if (!md5.matches("[0-9a-f]{32}")) {
                throw new IllegalArgumentException("not an MD5: " + md5);
            }
        }
    }

    /** How it went: the final file, and whether it was already there (nothing downloaded). */
    public record Result(Path file, boolean alreadyThere, long bytesDownloaded) {
    }

    /** A download that failed, put in words for the user. */
    public static final class DownloadException extends IOException {
        private static final long serialVersionUID = 1L;

        public DownloadException(String message) {
            super(message);
        }

        public DownloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Archive archive;
    private final String mirror;
    private final Path folder;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;

    /** Downloads {@code archive} from {@code mirror} (a base URL; the archive's name is appended) into {@code folder}. */
    public Download(Archive archive, String mirror, Path folder) {
        this.archive = Objects.requireNonNull(archive, "archive");
        String m = mirror == null ? OFFICIAL_MIRROR : mirror.strip();
        if (!m.startsWith("http://") && !m.startsWith("https://")) {
            throw new IllegalArgumentException("the mirror must be an http:// or https:// URL: " + m);
        }
        this.mirror = m.endsWith("/") ? m : m + "/";
        this.folder = Objects.requireNonNull(folder, "folder");
    }

    /** Sets the read timeout (no byte for this long fails) and returns this. */
    public Download readTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive: " + timeout);
        }
        this.readTimeout = timeout;
        return this;
    }

    /** Sets the connect timeout and returns this. */
    public Download connectTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive: " + timeout);
        }
        this.connectTimeout = timeout;
        return this;
    }

    /** The URL downloaded from. */
    public String url() {
        return mirror + archive.name();
    }

    /** The final file. */
    public Path target() {
        return folder.resolve(archive.name());
    }

    /** The partial file downloaded into. */
    public Path partFile() {
        return folder.resolve(archive.name() + ".part");
    }

    /**
     * Downloads and verifies. Progress gets the fraction done and a line like
     * {@code "12.3 / 162.2 MB, 4.1 MB/s, ETA 0:36"} at most four times a second.
     *
     * @throws DownloadException an HTTP error, a timeout, a dropped connection, a wrong checksum, a different existing file
     * @throws CancellationException cancelled or interrupted; the .part is kept
     */
    public Result run(Progress progress) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new DownloadException(folder + " is a file, not a folder to download into");
        }
        Files.createDirectories(folder);
        Path target = target();
        if (Files.exists(target)) {
            String md5 = md5(target, progress, "Verifying existing " + archive.name());
            if (md5.equals(archive.md5())) {
                return new Result(target, true, 0);
            }
            throw new DownloadException(target + " is there and is not the official archive (its MD5 is " + md5
                    + ", not " + archive.md5() + "): not overwritten; move it away or download to another folder");
        }
        Path part = partFile();
        long downloaded = 0;
        int resumes = 0;
        boolean restartedAfter416 = false;
        while (true) {
            long offset = Files.exists(part) ? Files.size(part) : 0;
            if (archive.size() >= 0 && offset > archive.size()) {
                Files.delete(part);
                offset = 0;
            }
            Attempt a = attempt(part, offset, progress);
            downloaded += a.received;
            if (a.outcome == Outcome.COMPLETE) {
                break;
            }
            if (a.outcome == Outcome.RANGE_REFUSED) {
                // 416: the .part is complete already, or it is bad
                if (md5(part, progress, "Verifying " + part.getFileName()).equals(archive.md5())) {
                    break;
                }
                Files.deleteIfExists(part);
                if (restartedAfter416) {
                    throw new DownloadException(url() + " refused the range request twice (HTTP 416)");
                }
                restartedAfter416 = true;
                continue;
            }
            // DROPPED: the connection ended early
            if (a.received > 0 && resumes < MAX_RESUMES) {
                resumes++;
                continue;
            }
            long have = Files.exists(part) ? Files.size(part) : 0;
            throw new DownloadException("the connection to " + url() + " ended after " + have + " of "
                    + (a.total >= 0 ? a.total : "?") + " bytes: " + part.getFileName()
                    + " kept; run again to resume");
        }
        String md5 = md5(part, progress, "Verifying " + archive.name());
        if (!md5.equals(archive.md5())) {
            Files.deleteIfExists(part);
            throw new DownloadException("the download's MD5 is " + md5 + ", not the official " + archive.md5()
                    + ": deleted; try again or another mirror");
        }
        if (Files.exists(target)) {
            throw new DownloadException(target + " appeared during the download: not overwritten; "
                    + part.getFileName() + " kept");
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        return new Result(target, false, downloaded);
    }

    private enum Outcome { COMPLETE, DROPPED, RANGE_REFUSED }

    private record Attempt(Outcome outcome, long received, long total) {
    }

    private Attempt attempt(Path part, long offset, Progress progress) throws IOException {
        checkCancelled(progress, part);
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) new URL(url()).openConnection();
        } catch (IllegalArgumentException e) {
            throw new DownloadException("not a URL: " + url(), e);
        }
        c.setConnectTimeout(millis(connectTimeout));
        c.setReadTimeout(millis(readTimeout));
        c.setInstanceFollowRedirects(true);
        c.setRequestProperty("Accept-Encoding", "identity");
        c.setRequestProperty("User-Agent", "Babysitter");
        if (offset > 0) {
            c.setRequestProperty("Range", "bytes=" + offset + "-");
        }
        try {
            int status;
            try {
                status = c.getResponseCode();
            } catch (SocketTimeoutException e) {
                throw timeout(part, e);
            } catch (IOException e) {
                throw new DownloadException("cannot reach " + url() + ": " + unreachable(e), e);
            }
            boolean append;
            long total;
            if (status == 206 && offset > 0 && rangeStart(c.getHeaderField("Content-Range")) == offset) {
                append = true;
                long rest = c.getContentLengthLong();
                total = rest >= 0 ? offset + rest : archive.size();
            } else if (status == 200 || status == 206) {
                // no range asked, or the server answered the whole file (or another range): start again
                if (status == 206) {
                    throw new DownloadException(url() + " answered another range than asked (" + c.getHeaderField("Content-Range")
                            + "); delete " + part + " and try again");
                }
                append = false;
                offset = 0;
                long len = c.getContentLengthLong();
                total = len >= 0 ? len : archive.size();
            } else if (status == 416) {
                return new Attempt(Outcome.RANGE_REFUSED, 0, -1);
            } else {
                String reason = c.getResponseMessage();
                throw new DownloadException("downloading " + url() + " failed: HTTP " + status
                        + (reason == null || reason.isBlank() ? "" : " " + reason));
            }
            long received = 0;
            long started = System.nanoTime();
            long lastReport = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = c.getInputStream();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (SocketTimeoutException e) {
                        throw timeout(part, e);
                    } catch (IOException e) {
                        // a connection reset or a premature end: what arrived is kept
                        break;
                    }
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    received += n;
                    long now = System.nanoTime();
                    if (now - lastReport >= REPORT_NANOS) {
                        lastReport = now;
                        report(progress, offset + received, total, received, now - started);
                    }
                    if (progress.isCancelled() || Thread.currentThread().isInterrupted()) {
                        out.close();
                        checkCancelled(progress, part);
                    }
                }
            }
            long have = offset + received;
            report(progress, have, total, received, System.nanoTime() - started);
            boolean complete = total >= 0 ? have >= total : true;
            return new Attempt(complete ? Outcome.COMPLETE : Outcome.DROPPED, received, total);
        } finally {
            c.disconnect();
        }
    }

    private static long rangeStart(String contentRange) {
        // "bytes 100-199/200"
        if (contentRange == null) {
            return -1;
        }
        String s = contentRange.strip();
        if (!s.startsWith("bytes ")) {
            return -1;
        }
        int dash = s.indexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(s.substring(6, dash).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private DownloadException timeout(Path part, SocketTimeoutException e) {
        return new DownloadException("timed out: " + url() + " sent nothing for " + readTimeout.toSeconds()
                + (readTimeout.toSeconds() == 1 ? " second" : " seconds")
                + (Files.exists(part) ? "; " + part.getFileName() + " kept, run again to resume" : "; try again or another mirror"), e);
    }

    private void checkCancelled(Progress progress, Path part) {
        if (progress.isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("download cancelled"
                    + (Files.exists(part) ? ": " + part + " kept, run again to resume" : ""));
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private static void report(Progress progress, long have, long total, long received, long nanos) {
        double seconds = nanos / 1e9;
        double speed = seconds > 0 ? received / seconds : 0;
        progress.update(total > 0 ? Math.min(1, (double) have / total) : 0, describe(have, total, speed));
    }

    /** Why a connection could not be made, in words. */
    static String unreachable(IOException e) {
        if (e instanceof java.net.UnknownHostException) {
            return "the host " + e.getMessage() + " is not known (no network connection, or a mistyped mirror?)";
        }
        if (e instanceof java.net.ConnectException) {
            return "the connection was refused (" + e.getMessage() + "): is the mirror's address right?";
        }
        return e.toString();
    }

    /** {@code "12.3 / 162.2 MB, 4.1 MB/s, ETA 0:36"}: bytes so far, the total (if known), speed in bytes/s and ETA. */
    public static String describe(long have, long total, double bytesPerSecond) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%.1f", have / 1e6));
        if (total >= 0) {
            s.append(String.format(Locale.ROOT, " / %.1f", total / 1e6));
        }
        s.append(String.format(Locale.ROOT, " MB, %.1f MB/s", bytesPerSecond / 1e6));
        if (total >= 0 && bytesPerSecond > 0) {
            long eta = Math.round((total - have) / bytesPerSecond);
            s.append(String.format(Locale.ROOT, ", ETA %d:%02d", eta / 60, eta % 60));
        }
        return s.toString();
    }

    /** The MD5 of a file in lower-case hex; reports progress, cancellable. */
    static String md5(Path file, Progress progress, String what) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = Files.size(file);
        long done = 0;
        long lastReport = 0;
        byte[] buf = new byte[256 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                done += n;
                long now = System.nanoTime();
                if (now - lastReport >= REPORT_NANOS) {
                    lastReport = now;
                    progress.update(size > 0 ? (double) done / size : 1, what);
                }
                if (progress.isCancelled() || Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("cancelled while verifying " + file.getFileName());
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
