package org.babysitter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.data.ArchiveServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code babysitter download} against a local HTTP server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DownloadCommandTest {
    @TempDir
    Path tmp;

    private ArchiveServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ArchiveServer("cifar-10-binary.tar.gz", 400_000, 7);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void downloadsVerifiesAndThenSaysItIsThere() throws Exception {
        CliTest.Run r = CliTest.run("download", "--mirror", server.mirror(), "--to", tmp.toString(), "--md5", server.md5());
        assertEquals(0, r.code(), r.toString());
        Path file = tmp.resolve("cifar-10-binary.tar.gz");
        assertEquals(List.of(file.toString(), "MD5 verified: " + server.md5()), r.outLines(), r.toString());
        assertArrayEquals(server.content, Files.readAllBytes(file));
        assertTrue(r.errLines().stream().anyMatch(l -> l.matches("cifar-10-binary\\.tar\\.gz: 100%  0\\.4 / 0\\.4 MB, \\d+\\.\\d MB/s, ETA \\d+:\\d\\d")),
                r.toString());
        assertTrue(r.err().contains("Downloading " + server.mirror() + "cifar-10-binary.tar.gz to " + tmp), r.toString());

        CliTest.Run again = CliTest.run("download", "--mirror", server.mirror(), "--to", tmp.toString(), "--md5", server.md5());
        assertEquals(0, again.code(), again.toString());
        assertEquals(List.of(file + " already there, checksum verified"), again.outLines(), again.toString());
        assertEquals(1, server.ranges.size(), "no second request: " + server.ranges);
    }

    @Test
    void theOfficialChecksumRefusesOtherBytes() {
        CliTest.Run r = CliTest.run("download", "--mirror", server.mirror(), "--to", tmp.toString());
        assertEquals(1, r.code(), r.toString());
        String last = r.errLines().get(r.errLines().size() - 1);
        assertEquals("babysitter: the download's MD5 is " + server.md5() + ", not the official c32a1d4ab5d03f1284b67883e8d87530:"
                + " deleted; try again or another mirror", last, r.toString());
        assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz")));
        assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz.part")));
    }

    @Test
    void aMissingArchiveNamesStatusAndUrl() {
        CliTest.Run r = CliTest.run("download", "--python", "--mirror", server.mirror(), "--to", tmp.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("babysitter: downloading " + server.mirror() + "cifar-10-python.tar.gz failed: HTTP 404"), r.toString());
    }

    @Test
    void badOptionsAreBadInput() {
        assertEquals(Main.BAD_INPUT, CliTest.run("download", "--timeout", "0", "--to", tmp.toString()).code());
        CliTest.Run r = CliTest.run("download", "--mirror", "ftp://example.org/", "--to", tmp.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("http:// or https://"), r.toString());
        Path file = tmp.resolve("a-file");
        try {
            Files.writeString(file, "x");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CliTest.Run f = CliTest.run("download", "--mirror", server.mirror(), "--to", file.toString());
        assertEquals(Main.BAD_INPUT, f.code(), f.toString());
        assertTrue(f.err().contains("is a file, not a folder"), f.toString());
        assertTrue(server.ranges.isEmpty());
    }

    @Test
    void helpSaysWhereByDefault() {
        CliTest.Run r = CliTest.run("download", "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("babysitter/data on Linux"), r.toString());
        assertTrue(r.out().contains("--mirror"), r.toString());
    }
}
