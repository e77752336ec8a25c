package org.babysitter.engine.linalg;

import java.util.Optional;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.Loader;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_version;

/**
 * Intel's oneDNN, bundled with the app ({@code org.bytedeco:dnnl}, natives of the build's own OS only), for a
 * single-precision conv net's convolutions ({@link OneDnnConv}), and the ReLUs and max poolings between them
 * ({@link OneDnnRelu}, {@link OneDnnPool}): loaded once, on first use, by JavaCPP, which
 * extracts the natives (about 90 MB) into the same cache as the bundled OpenBLAS ({@link BundledOpenBlas#cacheFolder()}).
 * <p>
 * oneDNN runs its passes on OpenMP threads (its own copy of GNU libgomp on Linux). Before the library loads, the
 * process's environment gets, unless the user set them, {@code OMP_NUM_THREADS} (the product threads,
 * {@link Gemms#THREADS_PROPERTY}), {@code OMP_WAIT_POLICY=passive} and libgomp's {@code GOMP_SPINCOUNT=10000}: an idle
 * worker spins about a tenth of a millisecond, long enough to be awake for the next primitive of the same pass, then
 * sleeps. By default it spins for milliseconds after each pass while the engine runs its own passes (ReLU, pooling) on
 * the JVM's threads right after: the step took twice as long (BENCHMARKS.md; the same reason {@link OpenBlasThreads}
 * pins OpenBLAS to one thread per call). The system property {@value #PROPERTY}{@code =im2col} (the window's and the
 * CLI's {@code java -Dbabysitter.conv=im2col ...}) leaves oneDNN out: convolutions then go through im2col and the GEMM
 * seam.
 */
public final class OneDnn {
    /** System property: {@code im2col} keeps convolutions off oneDNN; anything else (or unset) uses it where it loads. */
    public static final String PROPERTY = "babysitter.conv";

    private OneDnn() {
    }

    /** What loading found: the CPU engine (empty with {@code problem} saying why), the library's version and threads. */
    public record Status(Optional<dnnl_engine> engine, String version, int threads, String problem) {
        /** In a few words for the user, e.g. "oneDNN 3.11.0 convolutions, ReLU and max pooling, 2 threads". */
        public String label() {
            return version + " convolutions, ReLU and max pooling, " + threads + (threads == 1 ? " thread" : " threads");
        }

        public boolean loaded() {
            return engine.isPresent();
        }
    }

    private static volatile Status status;

    /** The CPU engine, loading oneDNN if need be; empty where it did not load or is not {@link #wanted() wanted}. */
    static Optional<dnnl_engine> engineIfWanted() {
        return wanted() ? load().engine() : Optional.empty();
    }

    /** True unless {@value #PROPERTY} asks for im2col. */
    public static boolean wanted() {
        return !"im2col".equalsIgnoreCase(System.getProperty(PROPERTY, "").strip());
    }

    /**
     * What computes a conv net's convolutions on {@code gemm}, in a sentence for the user: oneDNN with its version and
     * threads, or im2col and the products and why. {@code load} false never loads oneDNN (for the FX thread): before
     * the first conv net it says oneDNN will be loaded then.
     */
    public static String describe(Gemm gemm, boolean load) {
        String im2col = "im2col and the matrix products";
        if (!gemm.readsFloatCopies()) {
            return im2col + " (oneDNN is single precision; this backend computes in double)";
        }
        if (!wanted()) {
            return im2col + " (" + PROPERTY + "=im2col)";
        }
        Status s = load ? load() : status;
        if (s == null) {
            return "oneDNN, bundled (loaded by the first convolutional net)";
        }
        return s.loaded() ? "bundled " + s.label() : im2col + " (" + s.problem() + ")";
    }

    /** Loads oneDNN once (the first time may extract it: seconds), never throwing. */
    public static synchronized Status load() {
        if (status == null) {
            status = tryLoad();
        }
        return status;
    }

    private static Status tryLoad() {
        int threads;
        try {
            threads = Gemms.threads();
        } catch (IllegalArgumentException e) { // a bad thread count: the products report it
            threads = Runtime.getRuntime().availableProcessors();
        }
        BundledOpenBlas.useAppCache();
        setEnvironmentIfUnset("OMP_NUM_THREADS", Integer.toString(threads));
        setEnvironmentIfUnset("OMP_WAIT_POLICY", "passive");
        setEnvironmentIfUnset("GOMP_SPINCOUNT", "10000");
        try {
            Loader.load(org.bytedeco.dnnl.global.dnnl.class);
            dnnl_engine engine = new dnnl_engine();
            int s = dnnl_engine_create(engine, dnnl_cpu, 0);
            if (s != 0) {
                return new Status(Optional.empty(), "oneDNN", threads, "oneDNN's CPU engine did not start (status " + s + ")");
            }
            dnnl_version_t v = dnnl_version();
            return new Status(Optional.of(engine), "oneDNN " + v.major() + "." + v.minor() + "." + v.patch(), threads, null);
        } catch (RuntimeException | LinkageError e) {
            return new Status(Optional.empty(), "oneDNN", threads, "the bundled oneDNN did not load (" + e + ")");
        }
    }

    /**
     * Sets a variable in the process's own environment (C's {@code setenv}, {@code _putenv_s} on Windows, through JNA)
     * where it is not set already: OpenMP reads it when its library loads. Best effort; nothing happens where JNA
     * cannot reach the C library.
     */
    private static void setEnvironmentIfUnset(String name, String value) {
        if (System.getenv(name) != null) {
            return;
        }
        try {
            if (Platform.isWindows()) {
                NativeLibrary.getInstance("msvcrt").getFunction("_putenv_s").invokeInt(new Object[] {name, value});
            } else {
                NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("setenv").invokeInt(new Object[] {name, value, 0});
            }
        } catch (LinkageError | RuntimeException e) {
            // OpenMP keeps its defaults: all cores, workers that spin a while after each pass
        }
    }
}
