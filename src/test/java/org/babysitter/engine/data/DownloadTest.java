package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Download} against a local HTTP server: complete, resumed, corrupted, 404, stalled, already there, cancelled. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DownloadTest {
    private static final int SIZE = 300_000;

    @TempDir
    Path tmp;

    private ArchiveServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ArchiveServer("cifar-10-binary.tar.gz", SIZE, 42);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Download download() {
        return new Download(server.archive(), server.mirror(), tmp).readTimeout(Duration.ofSeconds(5));
    }

    /** Records progress lines. */
    static class Recording implements Progress {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void update(double fraction, String what) {
            lines.add(fraction + " " + what);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }

    @Test
    void completeDownloadIsVerifiedAndNamed() throws Exception {
        Recording p = new Recording();
        Download.Result r = download().run(p);
        Path file = tmp.resolve("cifar-10-binary.tar.gz");
        assertEquals(file, r.file());
        assertFalse(r.alreadyThere());
        assertEquals(SIZE, r.bytesDownloaded());
        assertArrayEquals(server.content, Files.readAllBytes(file));
        assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz.part")));
        assertEquals(List.of(""), server.ranges);
        assertTrue(p.lines.stream().anyMatch(l -> l.startsWith("1.0 0.3 / 0.3 MB, ")), p.lines.toString());
        assertTrue(Files.isReadable(file));
    }

    @Test
    void droppedConnectionIsResumedWithRange() throws Exception {
        server.dropFirstRequests = 1;
        server.dropAfter = 100_000;
        Download.Result r = download().run(new Recording());
        assertArrayEquals(server.content, Files.readAllBytes(r.file()));
        assertEquals(2, server.ranges.size(), server.ranges.toString());
        assertEquals("", server.ranges.get(0));
        assertEquals("bytes=100000-", server.ranges.get(1));
        assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz.part")));
    }

    @Test
    void anExistingPartIsResumed() throws Exception {
        Files.write(tmp.resolve("cifar-10-binary.tar.gz.part"), java.util.Arrays.copyOf(server.content, 123_456));
        Download.Result r = download().run(new Recording());
        assertArrayEquals(server.content, Files.readAllBytes(r.file()));
        assertEquals(List.of("bytes=123456-"), server.ranges);
        assertEquals(SIZE - 123_456, r.bytesDownloaded());
    }

    @Test
    void aServerIgnoringTheRangeStartsAgain() throws Exception {
        Files.write(tmp.resolve("cifar-10-binary.tar.gz.part"), java.util.Arrays.copyOf(server.content, 50_000));
        server.ignoreRange = true;
        Download.Result r = download().run(new Recording());
        assertArrayEquals(server.content, Files.readAllBytes(r.file()));
        assertEquals(SIZE, r.bytesDownloaded());
    }

    @Test
    void aCompletePartAnswered416IsVerifiedAndNamed() throws Exception {
        Files.write(tmp.resolve("cifar-10-binary.tar.gz.part"), server.content);
        Download.Result r = download().run(new Recording());
        assertArrayEquals(server.content, Files.readAllBytes(r.file()));
        assertEquals(List.of("bytes=" + SIZE + "-"), server.ranges);
    }

    @Test
    void aCorruptedByteDeletesThePartAndSaysSo() throws Exception {
        server.corruptAt = 200_000;
        Download.DownloadException e = assertThrows(Download.DownloadException.class, () -> download().run(new Recording()));
        assertTrue(e.getMessage().startsWith("the download's MD5 is "), e.getMessage());
        assertTrue(e.getMessage().contains(", not the official " + server.md5() + ": deleted; try again or another mirror"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz")));
        assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz.part")));
    }

    @Test
    void notFoundNamesTheStatusAndUrl() throws Exception {
        Download d = new Download(new Download.Archive("missing.tar.gz", 10, server.md5()), server.mirror(), tmp);
        Download.DownloadException e = assertThrows(Download.DownloadException.class, () -> d.run(new Recording()));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains(server.mirror() + "missing.tar.gz"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("missing.tar.gz.part")));
    }

    @Test
    void aRefusedConnectionAndAnUnknownHostAreSaidInWords() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Download d = new Download(Download.Archive.BINARY, "http://127.0.0.1:" + closedPort + "/", tmp);
        Download.DownloadException e = assertThrows(Download.DownloadException.class, () -> d.run(new Recording()));
        assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:" + closedPort + "/cifar-10-binary.tar.gz: the connection"
                + " was refused"), e.getMessage());
        assertTrue(Download.unreachable(new java.net.UnknownHostException("www.example.invalid"))
                .equals("the host www.example.invalid is not known (no network connection, or a mistyped mirror?)"));
    }

    @Test
    void otherHttpErrorsNameTheStatus() throws Exception {
        server.status = 503;
        Download.DownloadException e = assertThrows(Download.DownloadException.class, () -> download().run(new Recording()));
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
        assertTrue(e.getMessage().contains(server.mirror() + "cifar-10-binary.tar.gz"), e.getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aStalledServerTimesOut() throws Exception {
        server.stall = true;
        Download d = download().readTimeout(Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        Download.DownloadException e = assertThrows(Download.DownloadException.class, () -> d.run(new Recording()));
        assertTrue(e.getMessage().startsWith("timed out: "), e.getMessage());
        assertTrue(e.getMessage().contains("sent nothing for 1 second"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 8);
        assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz")));
    }

    @Test
    void aVerifiedFileIsNotDownloadedAgain() throws Exception {
        Files.write(tmp.resolve("cifar-10-binary.tar.gz"), server.content);
        Download.Result r = download().run(new Recording());
        assertTrue(r.alreadyThere());
        assertEquals(0, r.bytesDownloaded());
        assertTrue(server.ranges.isEmpty(), server.ranges.toString());
    }

    @Test
    void aDifferentFileIsNeverOverwritten() throws Exception {
        byte[] other = "not the archive".getBytes();
        Files.write(tmp.resolve("cifar-10-binary.tar.gz"), other);
        Download.DownloadException e = assertThrows(Download.DownloadException.class, () -> download().run(new Recording()));
        assertTrue(e.getMessage().contains("not overwritten"), e.getMessage());
        assertArrayEquals(other, Files.readAllBytes(tmp.resolve("cifar-10-binary.tar.gz")));
        assertTrue(server.ranges.isEmpty());
    }

    @Test
    void cancelMidWayKeepsThePart() throws Exception {
        server.slowMillis = 20;
        Recording p = new Recording() {
            @Override
            public void update(double fraction, String what) {
                super.update(fraction, what);
                if (fraction > 0.1) {
                    cancelled.set(true);
                }
            }
        };
        CancellationException e = assertThrows(CancellationException.class, () -> download().run(p));
        assertTrue(e.getMessage().contains("kept"), e.getMessage());
        Path part = tmp.resolve("cifar-10-binary.tar.gz.part");
        assertTrue(Files.exists(part));
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < SIZE, "kept " + kept);
        assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz")));
        // and a later run resumes from it
        server.slowMillis = 0;
        Download.Result r = download().run(new Recording());
        assertArrayEquals(server.content, Files.readAllBytes(r.file()));
        assertEquals("bytes=" + kept + "-", server.ranges.get(server.ranges.size() - 1));
    }

    @Test
    void anInterruptKeepsThePart() throws Exception {
        server.slowMillis = 20;
        Download d = download();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Path part = tmp.resolve("cifar-10-binary.tar.gz.part");
        Thread t = new Thread(() -> {
            try {
                d.run(Progress.NONE);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        while (!Files.exists(part) || Files.size(part) < 50_000) {
            Thread.sleep(10);
        }
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertTrue(thrown.get() instanceof CancellationException, String.valueOf(thrown.get()));
        assertTrue(Files.size(part) > 0 && Files.size(part) < SIZE);
        assertFalse(Files.exists(tmp.resolve("cifar-10-binary.tar.gz")));
    }

    @Test
    void describeGivesBytesSpeedAndEta() {
        assertEquals("50.0 / 170.1 MB, 2.0 MB/s, ETA 1:00", Download.describe(50_000_000, 170_052_171, 2_000_000));
        assertEquals("1.0 MB, 0.5 MB/s", Download.describe(1_000_000, -1, 500_000));
    }
}
