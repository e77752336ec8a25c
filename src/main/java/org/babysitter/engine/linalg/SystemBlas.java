package org.babysitter.engine.linalg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which library the system's {@code libblas.so.3} is, found before anything loads it: only an OpenBLAS is loaded
 * (netlib's JNI BLAS, the {@code openblas} backends).
 * <p>
 * Why before: netlib's wrapper loads {@code libblas.so.3} into the process's global symbol scope. Where that is the
 * reference BLAS (Debian's {@code libblas3}, which {@code python3-numpy} alone pulls in), its {@code sgemm_} and
 * {@code cblas_sgemm} then answer the bundled OpenBLAS's calls too: every product ran at the reference library's speed
 * (ConvNetJS's net trained 4x slower) while the status line said "bundled OpenBLAS". An OpenBLAS is told apart by the
 * word "openblas" in the file: in its own exported names ({@code openblas_set_num_threads}, which
 * {@link OpenBlasThreads} calls) or in the name of the library it needs.
 */
final class SystemBlas {
    /** What was found: the file (empty: none), and whether it is an OpenBLAS. */
    record Found(Optional<Path> file, boolean openBlas) {
        /** Why the system's BLAS is not used, for a message; null when it is an OpenBLAS. */
        String whyNot() {
            if (openBlas) {
                return null;
            }
            return file.map(f -> "the system's libblas.so.3 (" + f + ") is not OpenBLAS (the reference BLAS or another): not"
                    + " loaded, so that it cannot take over the bundled OpenBLAS's calls").orElse("no system OpenBLAS found");
        }
    }

    private static final String LIBRARY = "libblas.so.3";
    /** In an OpenBLAS's symbol names, or the name of the library it needs (Debian's libblas.so.3 needs libopenblas.so.0). */
    private static final byte[] MARK = "openblas".getBytes(StandardCharsets.US_ASCII);

    private SystemBlas() {
    }

    /** The system's BLAS as netlib's wrapper would load it (Linux); empty elsewhere or where there is none. */
    static Found find() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return new Found(Optional.empty(), false);
        }
        String given = System.getProperty("dev.ludovic.netlib.blas.nativeLibPath");
        List<Path> candidates = new ArrayList<>();
        if (given != null && !given.isBlank()) {
            candidates.add(Path.of(given));
        } else {
            String ld = System.getenv("LD_LIBRARY_PATH");
            if (ld != null) {
                for (String dir : ld.split(":")) {
                    if (!dir.isBlank()) {
                        candidates.add(Path.of(dir, LIBRARY));
                    }
                }
            }
            for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                    "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib")) {
                candidates.add(Path.of(dir, LIBRARY));
            }
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return new Found(Optional.of(real(c)), isOpenBlas(c));
            }
        }
        return new Found(Optional.empty(), false);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** True if the library file names OpenBLAS (its exported names, or the OpenBLAS it needs). */
    static boolean isOpenBlas(Path lib) {
        try (InputStream in = Files.newInputStream(lib)) {
            byte[] buf = new byte[1 << 16];
            int keep = MARK.length - 1;
            int have = 0;
            int n;
            while ((n = in.read(buf, have, buf.length - have)) > 0) {
                int end = have + n;
                if (contains(buf, end)) {
                    return true;
                }
                // the last bytes may start the name: keep them in front of the next read
                int from = Math.max(0, end - keep);
                System.arraycopy(buf, from, buf, 0, end - from);
                have = end - from;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean contains(byte[] buf, int end) {
        outer:
        for (int i = 0; i + MARK.length <= end; i++) {
            for (int j = 0; j < MARK.length; j++) {
                if (buf[i + j] != MARK[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
