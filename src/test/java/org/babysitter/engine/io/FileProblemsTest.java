package org.babysitter.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import org.junit.jupiter.api.Test;

/** The words for what went wrong with a file, from the exceptions Java gives (whose message is often just the path). */
class FileProblemsTest {
    @Test
    void accessDeniedSaysPermissionDeniedNotThePath() {
        assertEquals("permission denied", FileProblems.describe(new AccessDeniedException("/data/cifar/data_batch_1.bin")));
        assertEquals("permission denied", FileProblems.describe(new FileSystemException("/x", null, "Operation not permitted")));
    }

    @Test
    void operatingSystemReasonsAreSaidPlainly() {
        assertEquals("no space left on device (the disk is full)", FileProblems.describe(new IOException("No space left on device")));
        assertEquals("no space left on device (the disk is full)",
                FileProblems.describe(new FileSystemException("/mnt/m.npz", null, "No space left on device")));
        assertEquals("read-only file system", FileProblems.describe(new FileSystemException("/ro/x", null, "Read-only file system")));
        assertEquals("a loop of symbolic links",
                FileProblems.describe(new FileSystemException("/tmp/loop1", null, "Too many levels of symbolic links")));
        assertEquals("no such file or folder", FileProblems.describe(new NoSuchFileException("/nope")));
        assertEquals("disk quota exceeded", FileProblems.describe(new IOException("Disk quota exceeded")));
        assertEquals("a part of the path is a file, not a folder",
                FileProblems.describe(new FileSystemException("/etc/passwd/x", null, "Not a directory")));
    }

    @Test
    void otherTextsAreKeptStartingLowerCase() {
        assertEquals("stale file handle", FileProblems.describe(new IOException("Stale file handle")));
        assertEquals("ENOSPC-like code 28", FileProblems.describe(new IOException("ENOSPC-like code 28")));
        assertEquals("an input/output error (IOException)", FileProblems.describe(new IOException((String) null)));
    }
}
