package org.babysitter.engine.data;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/** A local HTTP server on 127.0.0.1 serving one generated archive, with Range support and ways to misbehave. */
public final class ArchiveServer implements AutoCloseable {
    public final byte[] content;
    public final String name;
    private final HttpServer server;
    /** The Range header of each request ("" if none). */
    public final List<String> ranges = new CopyOnWriteArrayList<>();
    /** Requests with index below this end after {@link #dropAfter} bytes of the body. */
    public volatile int dropFirstRequests;
    public volatile int dropAfter = -1;
    /** Served bytes differ at this index (-1: none). */
    public volatile int corruptAt = -1;
    /** Answer with this status (0: normal). */
    public volatile int status;
    /** Send headers then stall. */
    public volatile boolean stall;
    /** Ignore Range (answer 200 with the whole file). */
    public volatile boolean ignoreRange;
    /** Pause per 8 KB chunk in ms (to be cancelled mid-way). */
    public volatile int slowMillis;
    private final CountDownLatch release = new CountDownLatch(1);

    /** Serves {@code size} random bytes as {@code name}. */
    public ArchiveServer(String name, int size, long seed) throws IOException {
        this(name, randomBytes(size, seed));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Serves {@code content} as {@code name}. */
    public ArchiveServer(String name, byte[] content) throws IOException {
        this.name = name;
        this.content = content.clone();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "archive-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange) {
                String range = exchange.getRequestHeaders().getFirst("Range");
                int index = ranges.size();
                ranges.add(range == null ? "" : range);
                if (!exchange.getRequestURI().getPath().equals("/" + name)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                if (status != 0) {
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                int start = 0;
                if (range != null && !ignoreRange) {
                    start = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
                    if (start >= content.length) {
                        exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                        exchange.sendResponseHeaders(416, -1);
                        return;
                    }
                    exchange.getResponseHeaders().add("Content-Range",
                            "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
                    exchange.sendResponseHeaders(206, content.length - start);
                } else {
                    exchange.sendResponseHeaders(200, content.length);
                }
                OutputStream out = exchange.getResponseBody();
                if (stall) {
                    out.flush();
                    release.await(60, TimeUnit.SECONDS);
                    return;
                }
                int end = content.length;
                if (index < dropFirstRequests && dropAfter >= 0) {
                    end = Math.min(end, start + dropAfter);
                }
                for (int i = start; i < end; i += 8192) {
                    int n = Math.min(8192, end - i);
                    byte[] chunk = java.util.Arrays.copyOfRange(content, i, i + n);
                    if (corruptAt >= i && corruptAt < i + n) {
                        chunk[corruptAt - i] ^= 0x5a;
                    }
                    out.write(chunk);
                    out.flush();
                    if (slowMillis > 0) {
                        Thread.sleep(slowMillis);
                    }
                }
                if (end < content.length) {
                    // drop the connection half-way: close the socket under the exchange
                    throw new IOException("dropped on purpose");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String mirror() {
        return "http://127.0.0.1:" + port() + "/";
    }

    public String md5() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Download.Archive archive() {
        return new Download.Archive(name, content.length, md5());
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
