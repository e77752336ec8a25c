package org.babysitter.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AtomicFiles' units of several files (a checkpoint's .npz and .json): both written or neither, whatever fails and
 * where; the previous files kept; no temporary file left; the user's normal permissions.
 */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static AtomicFiles.Part text(Path target, String content) {
        return new AtomicFiles.Part(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** A stream that takes {@code limit} bytes and then fails as a full disk does. */
    static final class FullDisk extends FilterOutputStream {
        private long left;

        FullDisk(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                left = 0;
                throw new IOException("No space left on device");
            }
            left -= len;
            out.write(b, off, len);
        }
    }

    /** Lets the first {@code fine} temporary files through and fills the disk in the next after {@code limit} bytes. */
    private static UnaryOperator<OutputStream> diskFullInFile(int fine, long limit) {
        int[] opened = {0};
        return out -> opened[0]++ < fine ? out : new FullDisk(out, limit);
    }

    @Test
    void bothFilesAreReplacedTogether() throws IOException {
        Path npz = tmp.resolve("m.npz");
        Path json = tmp.resolve("m.json");
        AtomicFiles.writeAll(List.of(text(npz, "old npz"), text(json, "old json")));
        AtomicFiles.writeAll(List.of(text(npz, "new npz"), text(json, "new json")));
        assertEquals("new npz", Files.readString(npz));
        assertEquals("new json", Files.readString(json));
        assertEquals(List.of("m.json", "m.npz"), listing(tmp), "no temporary or backup file left");
    }

    @Test
    void fullDiskInTheSecondFileKeepsBothPreviousFiles() throws IOException {
        Path npz = tmp.resolve("m.npz");
        Path json = tmp.resolve("m.json");
        AtomicFiles.writeAll(List.of(text(npz, "old npz"), text(json, "old json")));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeAll(
                List.of(text(npz, "new npz"), text(json, "new json, longer than the disk")), diskFullInFile(1, 5)));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("old npz", Files.readString(npz), "the first file is not replaced while the second cannot be written");
        assertEquals("old json", Files.readString(json));
        assertEquals(List.of("m.json", "m.npz"), listing(tmp), "no temporary file left");
    }

    @Test
    void fullDiskInTheFirstFileKeepsBothPreviousFiles() throws IOException {
        Path npz = tmp.resolve("m.npz");
        Path json = tmp.resolve("m.json");
        AtomicFiles.writeAll(List.of(text(npz, "old npz"), text(json, "old json")));
        // more than the 64 KiB buffer, so that bytes reach the temporary file before the disk is full
        byte[] big = new byte[200_000];
        assertThrows(IOException.class, () -> AtomicFiles.writeAll(
                List.of(new AtomicFiles.Part(npz, out -> out.write(big)), text(json, "new json")), diskFullInFile(0, 100_000)));
        assertEquals("old npz", Files.readString(npz));
        assertEquals("old json", Files.readString(json));
        assertEquals(List.of("m.json", "m.npz"), listing(tmp));
    }

    @Test
    void fullDiskOnAFirstSaveLeavesNoFileAtAll() throws IOException {
        Path npz = tmp.resolve("m.npz");
        Path json = tmp.resolve("m.json");
        assertThrows(IOException.class, () -> AtomicFiles.writeAll(
                List.of(text(npz, "new npz"), text(json, "new json")), diskFullInFile(1, 3)));
        assertEquals(List.of(), listing(tmp), "neither file, no temporary file");
    }

    @Test
    void aFailedSecondRenamePutsTheFirstFileBack() throws IOException {
        Path npz = tmp.resolve("m.npz");
        Path json = tmp.resolve("m.json");
        AtomicFiles.write(npz, out -> out.write("old npz".getBytes(StandardCharsets.UTF_8)));
        // a non-empty folder where the second file goes: its temporary file is written, its rename fails
        Files.createDirectories(json.resolve("inside"));
        assertThrows(IOException.class, () -> AtomicFiles.writeAll(List.of(text(npz, "new npz"), text(json, "new json"))));
        assertEquals("old npz", Files.readString(npz), "the first rename is undone");
        assertTrue(Files.isDirectory(json.resolve("inside")));
        assertEquals(List.of("m.json", "m.npz"), listing(tmp), "no temporary or backup file left");
    }

    @Test
    void aFailedSecondRenameOnAFirstSaveRemovesTheFirstFile() throws IOException {
        Path npz = tmp.resolve("m.npz");
        Path json = tmp.resolve("m.json");
        Files.createDirectories(json.resolve("inside"));
        assertThrows(IOException.class, () -> AtomicFiles.writeAll(List.of(text(npz, "new npz"), text(json, "new json"))));
        assertFalse(Files.exists(npz), "one file of the pair alone would be half a checkpoint");
        assertEquals(List.of("m.json"), listing(tmp));
    }

    @Test
    void filesGetTheUsersNormalPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path plain = tmp.resolve("plain.txt");
        Files.writeString(plain, "as any program creates a file"); // 0666 less the umask
        Set<PosixFilePermission> normal = Files.getPosixFilePermissions(plain);
        assumeTrue(normal.contains(PosixFilePermission.GROUP_READ) || normal.contains(PosixFilePermission.OTHERS_READ),
                "a umask that lets others read, so that owner-only can be told apart");
        Path written = tmp.resolve("atomic.txt");
        AtomicFiles.writeString(written, "written whole");
        assertEquals(normal, Files.getPosixFilePermissions(written));
        AtomicFiles.writeAll(List.of(text(tmp.resolve("a.npz"), "a"), text(tmp.resolve("a.json"), "b")));
        assertEquals(normal, Files.getPosixFilePermissions(tmp.resolve("a.npz")));
        assertEquals(normal, Files.getPosixFilePermissions(tmp.resolve("a.json")));
    }

    @Test
    void aWriterThatClosesItsStreamStillGetsItsBytesWritten() throws IOException {
        Path json = tmp.resolve("closing.json");
        AtomicFiles.write(json, out -> {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
            out.close(); // as Jackson does
        });
        assertEquals("{}", Files.readString(json));
        assertEquals(List.of("closing.json"), listing(tmp));
    }
}
