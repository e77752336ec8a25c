package org.babysitter.engine.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Writes files whole or not at all: into a temporary file beside the target, flushed to the disk, then renamed over
 * it. A failed or interrupted write leaves the previous file as it was and no temporary file behind.
 * <p>
 * {@link #writeAll} does this for several files that belong together (a checkpoint's .npz and .json): every
 * temporary file is written in full before any target is touched, so a full disk leaves all the previous files;
 * then they are renamed one after the other, and if a rename fails the ones already renamed are put back.
 * <p>
 * The files get the user's normal permissions (what the umask gives a new file, usually rw-r--r--), not the
 * owner-only ones of {@link Files#createTempFile}.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** One file of a {@link #writeAll} unit: where it goes and what writes it. */
    public record Part(Path target, Writer writer) {
        public Part {
            if (target == null || writer == null) {
                throw new IllegalArgumentException("a part needs a target and a writer");
            }
        }
    }

    public static void write(Path target, Writer writer) throws IOException {
        writeAll(List.of(new Part(target, writer)));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes every part, or none: see the class comment. Missing folders are created. */
    public static void writeAll(List<Part> parts) throws IOException {
        writeAll(parts, UnaryOperator.identity());
    }

    /**
     * {@link #writeAll(List)}, with each temporary file's stream passed through {@code wrap} first: a test puts a
     * stream there that fails like a full disk after so many bytes.
     */
    public static void writeAll(List<Part> parts, UnaryOperator<OutputStream> wrap) throws IOException {
        List<Path> temps = new ArrayList<>();
        List<Path> backups = new ArrayList<>();
        List<Boolean> existed = new ArrayList<>();
        List<Path> moved = new ArrayList<>();
        boolean done = false;
        try {
            for (Part p : parts) {
                Path dir = p.target().toAbsolutePath().getParent();
                Files.createDirectories(dir);
                temps.add(writeTemp(dir, p, wrap));
            }
            // Every part is on the disk: only now are the targets touched. A target that exists gets a hard link
            // as its backup, so that a later rename failing can put it back (a lone file needs none: one rename).
            for (Part p : parts) {
                existed.add(Files.exists(p.target(), LinkOption.NOFOLLOW_LINKS));
                backups.add(parts.size() > 1 ? backupOf(p.target()) : null);
            }
            for (int i = 0; i < parts.size(); i++) {
                move(temps.get(i), parts.get(i).target());
                moved.add(parts.get(i).target());
            }
            syncFolder(parts.get(0).target().toAbsolutePath().getParent());
            done = true;
        } finally {
            if (!done) {
                rollBack(moved, existed, backups);
            }
            for (Path t : temps) {
                deleteQuietly(t);
            }
            for (Path b : backups) {
                if (b != null) {
                    deleteQuietly(b);
                }
            }
        }
    }

    /** Writes one part into a new hidden file beside its target, forced to the disk; returns its path. */
    private static Path writeTemp(Path dir, Part p, UnaryOperator<OutputStream> wrap) throws IOException {
        String name = p.target().getFileName().toString();
        // a name of at most 255 bytes: long targets get a shortened stem
        String stem = name.length() > 200 ? name.substring(0, 200) : name;
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + stem + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".tmp");
            FileChannel channel;
            try {
                // no file attributes: the mode is 0666 less the umask, as for any file the user creates
                channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 10) {
                    continue;
                }
                throw e;
            }
            try (channel; OutputStream out = new BufferedOutputStream(wrap.apply(Channels.newOutputStream(channel)), 1 << 16)) {
                p.writer().write(new Unclosable(out));
                out.flush();
                // on file systems that allocate late, a full disk shows here rather than in write
                channel.force(true);
            } catch (IOException | RuntimeException | Error e) {
                deleteQuietly(tmp);
                throw e;
            }
            return tmp;
        }
    }

    private static Path backupOf(Path target) throws IOException {
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path dir = target.toAbsolutePath().getParent();
        Path backup = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16)
                + ".old.tmp");
        try {
            Files.createLink(backup, target);
            return backup;
        } catch (UnsupportedOperationException | IOException e) {
            return null; // no hard links here: a failed second rename cannot be undone, the first is kept
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Puts back what the renames replaced: the previous file from its backup, or no file where there was none. A
     * previous file without a backup (no hard links) cannot come back: the new one is then left rather than nothing.
     */
    private static void rollBack(List<Path> moved, List<Boolean> existed, List<Path> backups) {
        for (int i = 0; i < moved.size(); i++) {
            try {
                Path backup = backups.get(i);
                if (backup != null) {
                    move(backup, moved.get(i));
                } else if (!existed.get(i)) {
                    Files.deleteIfExists(moved.get(i));
                }
            } catch (IOException ignored) {
                // nothing more can be done; the caller reports the original failure
            }
        }
    }

    /** Makes the renames durable (a directory's fsync on Linux); not supported everywhere, and then skipped. */
    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // e.g. Windows cannot open a folder as a channel: the renames are done, only their durability is the OS's
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the write's own outcome is what the caller hears about
        }
    }

    /** Writers (Jackson) close what they are given; the temporary file is flushed and forced first, then closed here. */
    private static final class Unclosable extends java.io.FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
