package org.babysitter.engine.linalg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import com.sun.jna.NativeLibrary;

/**
 * The thread count of the system OpenBLAS that netlib's JNI BLAS loaded, set through OpenBLAS's own
 * {@code openblas_set_num_threads} (called with JNA: netlib does not expose it).
 * <p>
 * Why: a multi-threaded OpenBLAS call leaves its worker threads spin-waiting for ~0.1 s after it returns. The
 * engine does real work between products (turning bytes into rows, the update pass, the GUI's drawing), and on a
 * 2-core machine those spinning workers took half of it: the update pass ran 3x slower right after a product than
 * after a pause. With OpenBLAS at one thread per call, {@link BlasGemm} splits large products into row blocks
 * that run on the JVM's own threads, which sleep when idle.
 * <p>
 * The system's library: Linux only (where netlib ships its JNI library), found in {@code /proc/self/maps}, leaving out
 * the bundled copy's folder ({@link BundledOpenBlas}). The bundled library is pinned by its path ({@link #pin(Path)}) on
 * every OS. Where anything is missing (another BLAS, no JNA native stub) nothing is changed and the result is empty.
 */
public final class OpenBlasThreads {
    private OpenBlasThreads() {
    }

    /** What pinning found: the library's build string (openblas_get_config), e.g. "OpenBLAS 0.3.21 ... Zen". */
    public record Pinned(String config) {
    }

    private static volatile Optional<Pinned> result;

    /**
     * Sets the loaded OpenBLAS to one thread per call, once; empty if there is no OpenBLAS loaded in this process or
     * it could not be reached. Call after netlib's native BLAS has loaded.
     */
    public static synchronized Optional<Pinned> pinToOneThread() {
        if (result == null) {
            result = tryPin();
        }
        return result;
    }

    /** The outcome of {@link #pinToOneThread()} if it ran, else empty. */
    public static Optional<Pinned> pinned() {
        Optional<Pinned> r = result;
        return r == null ? Optional.empty() : r;
    }

    private static Optional<Pinned> tryPin() {
        Optional<Path> lib = loadedOpenBlas(Path.of("/proc/self/maps"), BundledOpenBlas.cacheFolder());
        return lib.isEmpty() ? Optional.empty() : pin(lib.get());
    }

    /**
     * Sets the OpenBLAS at {@code lib} (loaded or not: the process shares one copy of a library per file) to one
     * thread per call; empty if it cannot be reached or is not an OpenBLAS.
     */
    static Optional<Pinned> pin(Path lib) {
        try {
            NativeLibrary nl = NativeLibrary.getInstance(lib.toString());
            nl.getFunction("openblas_set_num_threads").invokeVoid(new Object[] {1});
            int now = nl.getFunction("openblas_get_num_threads").invokeInt(new Object[0]);
            if (now != 1) {
                return Optional.empty();
            }
            String config;
            try {
                config = nl.getFunction("openblas_get_config").invokeString(new Object[0], false).strip();
            } catch (UnsatisfiedLinkError e) {
                config = "OpenBLAS";
            }
            return Optional.of(new Pinned(config));
        } catch (LinkageError | RuntimeException e) { // no JNA stub for this platform, no such symbol
            return Optional.empty();
        }
    }

    /** The path of a mapped library whose file name contains "openblas", from a /proc/PID/maps file. */
    static Optional<Path> loadedOpenBlas(Path maps) {
        return loadedOpenBlas(maps, null);
    }

    /** As {@link #loadedOpenBlas(Path)}, leaving out libraries under {@code except} (null: none). */
    static Optional<Path> loadedOpenBlas(Path maps, Path except) {
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.map(l -> {
                        int slash = l.indexOf('/');
                        return slash < 0 ? null : l.substring(slash).strip();
                    })
                    .filter(p -> p != null && Path.of(p).getFileName().toString().contains("openblas")
                            && p.contains(".so") && (except == null || !Path.of(p).startsWith(except)))
                    .findFirst()
                    .map(Path::of);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
