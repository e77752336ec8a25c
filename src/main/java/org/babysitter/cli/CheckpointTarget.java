package org.babysitter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.babysitter.engine.io.FileProblems;
import org.babysitter.engine.train.Checkpoint;

/**
 * Where {@code --checkpoint} saves the trained net, checked before training so that a run's result is not lost to a
 * destination found bad only at the end: the folder exists and a file can be created and removed in it (a real
 * probe, which finds read-only file systems and permissions as they are), the .npz and the .json beside it are not
 * folders, and neither replaces a file that is not one of our checkpoints (without {@code --overwrite}) nor, ever,
 * the training data itself.
 */
final class CheckpointTarget {
    /** The files {@link org.babysitter.engine.data.CifarReader} reads in a data folder. */
    private static final Pattern DATA_FILE = Pattern.compile(
            "data_batch_\\d+(\\.bin)?|test_batch(\\.bin)?|batches\\.meta(\\.txt)?"); // binary and python versions

    /** What saves the pair to a path (the checkpoint's save; a test's fault). */
    @FunctionalInterface
    interface Saver {
        void save(Path npz) throws IOException;
    }

    private final Path npz;
    private final Path json;
    private final boolean overwrite;
    private final Path data;

    private CheckpointTarget(Path npz, boolean overwrite, Path data) {
        this.npz = npz;
        this.json = Checkpoint.jsonFor(npz);
        this.overwrite = overwrite;
        this.data = data;
    }

    /**
     * Checks {@code npz} (and its .json) as a destination; {@code data} is the {@code --data} path (null for built-in
     * images). Any problem is an {@link IllegalArgumentException} saying what is wrong and what to do.
     */
    static CheckpointTarget check(Path npz, boolean overwrite, Path data) {
        CheckpointTarget t = new CheckpointTarget(npz, overwrite, data);
        t.check(true);
        return t;
    }

    Path npz() {
        return npz;
    }

    Path json() {
        return json;
    }

    /** What the save replaces, in words: "" for nothing, " (replacing the earlier checkpoint)", or the files named. */
    String replacing() {
        boolean npzThere = Files.exists(npz, LinkOption.NOFOLLOW_LINKS);
        boolean jsonThere = Files.exists(json, LinkOption.NOFOLLOW_LINKS);
        if (!npzThere && !jsonThere) {
            return "";
        }
        if ((!npzThere || Checkpoint.isOurNpz(npz)) && (!jsonThere || Checkpoint.isOurJson(json))) {
            return " (replacing the earlier checkpoint)";
        }
        return " (replacing " + (npzThere && jsonThere ? npz + " and " + json : npzThere ? npz : json) + ", --overwrite)";
    }

    /**
     * Checks again (the files may have changed during a long run) and saves; a failure is an IOException whose
     * message says what went wrong and that the previous files are kept.
     */
    void save(Saver saver) throws IOException {
        try {
            check(false);
        } catch (IllegalArgumentException e) {
            throw new IOException("not saved: " + e.getMessage(), e);
        }
        try {
            saver.save(npz);
        } catch (IOException e) {
            boolean previous = Files.exists(npz) || Files.exists(json);
            throw new IOException("could not save " + npz + ": " + FileProblems.describe(e) + "; "
                    + (previous ? "the previous " + npz.getFileName() + " and " + json.getFileName() + " are kept as they were"
                    : "nothing was written"), e);
        }
    }

    private void check(boolean probe) {
        for (Path p : new Path[] {npz, json}) {
            if (Files.isDirectory(p)) {
                throw new IllegalArgumentException("--checkpoint: " + p + " is a folder; name a file, e.g. "
                        + (p == npz ? p.resolve("model.npz") : npz.resolveSibling("model.npz")));
            }
        }
        // the folder as the user wrote it, for messages; "." for a bare file name
        Path dir = npz.getParent() != null ? npz.getParent() : Path.of(".");
        checkFolder(dir);
        if (probe) {
            probe(dir);
        }
        for (Path p : new Path[] {npz, json}) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (isData(p)) {
                throw new IllegalArgumentException("--checkpoint would replace " + p + ", which is training data (--data "
                        + data + "); choose another name");
            }
            boolean ours = p == npz ? Checkpoint.isOurNpz(p) : Checkpoint.isOurJson(p);
            if (!ours && !overwrite) {
                throw new IllegalArgumentException("--checkpoint would replace " + p + ", which is not a Babysitter checkpoint;"
                        + " it is left as it is: choose another name, or add --overwrite to replace it");
            }
        }
    }

    /** The folder must exist and be a folder; a missing one is not created (a typo would make a new tree). */
    private static void checkFolder(Path dir) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(dir, BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            Path existing = dir.toAbsolutePath().getParent();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !Files.isDirectory(existing)) {
                throw new IllegalArgumentException("--checkpoint: " + existing + " is a file, not a folder");
            }
            throw new IllegalArgumentException("--checkpoint: the folder " + dir + " does not exist; create it first");
        } catch (IOException e) {
            throw new IllegalArgumentException("--checkpoint: cannot use the folder " + dir + ": " + FileProblems.describe(e));
        }
        if (!a.isDirectory()) {
            throw new IllegalArgumentException("--checkpoint: " + dir + " is a file, not a folder");
        }
    }

    /** Creates and removes a file in the folder, as saving will: finds permissions, read-only file systems, quotas. */
    private static void probe(Path dir) {
        Path probe = dir.resolve(".babysitter-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".tmp");
        try {
            Files.newOutputStream(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw new IllegalArgumentException("--checkpoint: cannot write in the folder " + dir + ": " + FileProblems.describe(e));
        }
        try {
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException("--checkpoint: cannot remove files in the folder " + dir + " (" + FileProblems.describe(e)
                    + "), which replacing a checkpoint needs; remove " + probe + " by hand");
        }
    }

    /** True if {@code p} is the {@code --data} file, or a file the reader reads in the {@code --data} folder. */
    private boolean isData(Path p) {
        if (data == null || !Files.exists(data)) {
            return false;
        }
        try {
            if (Files.isSameFile(p, data)) {
                return true;
            }
            if (!Files.isDirectory(data) || !DATA_FILE.matcher(p.getFileName().toString()).matches()) {
                return false;
            }
            Path folder = p.toRealPath().getParent();
            Path root = data.toRealPath();
            return folder.equals(root) || folder.equals(root.resolve("cifar-10-batches-bin"))
                    || folder.equals(root.resolve("cifar-10-batches-py"));
        } catch (IOException e) {
            return false;
        }
    }
}
