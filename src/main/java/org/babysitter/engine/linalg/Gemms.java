package org.babysitter.engine.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * Chooses the GEMM backend at start-up. The system property {@code babysitter.gemm} (or the CLI's {@code --gemm})
 * forces one by name; otherwise the fastest available:
 * <ol>
 * <li>{@code openblas-f32}: the system's OpenBLAS over JNI, computing in single precision;</li>
 * <li>{@code java-blas-f32}: netlib's pure-Java BLAS (Vector API when the module is added) if no native BLAS loads;</li>
 * </ol>
 * with {@code openblas}, {@code java-blas} (double precision), {@code ejml-mt} and {@code ejml} available by
 * name. EJML's own products are the fallback when netlib cannot load at all.
 */
public final class Gemms {
    public static final String PROPERTY = "babysitter.gemm";
    public static final List<String> NAMES = List.of("openblas-f32", "openblas", "java-blas-f32", "java-blas", "ejml-mt", "ejml");

    private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib.blas");

    private Gemms() {
    }

    /** The backend named by the system property, else the default. */
    public static Gemm fromSystemProperty() {
        String name = System.getProperty(PROPERTY);
        return name == null || name.isBlank() ? best() : byName(name);
    }

    /** The fastest available backend. */
    public static Gemm best() {
        return byName(bestName());
    }

    private static String bestName() {
        return nativeBlas() != null ? "openblas-f32" : javaBlas() != null ? "java-blas-f32" : "ejml-mt";
    }

    /**
     * The backend named {@code name} (null: the system property's, else the fastest) with its large products on up to
     * {@code threads} threads: for callers that run several products at once, e.g. two search trials on two cores.
     * The parts of a product depend on its shape only, so results are the same as with any other thread count.
     */
    public static Gemm sharing(String name, int threads) {
        String property = System.getProperty(PROPERTY);
        String chosen = name != null ? name : property != null && !property.isBlank() ? property : bestName();
        return byName(chosen, threads);
    }

    /** A backend by name (see {@link #NAMES}); a clear error if unknown or not available here. */
    public static Gemm byName(String name) {
        return byName(name, Gemms::threads);
    }

    /**
     * A backend by name whose products run on up to {@code threads} threads, whatever {@link #THREADS_PROPERTY}
     * says (for tests that compare thread counts in one process).
     */
    static Gemm byName(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return byName(name, () -> threads);
    }

    /** {@code threads} is asked only by the backends that split products. */
    private static Gemm byName(String name, IntSupplier threads) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "ejml" -> new EjmlGemm(false);
            case "ejml-mt" -> new EjmlGemm(true);
            case "openblas", "openblas-f32" -> {
                BLAS b = nativeBlas();
                if (b == null) {
                    throw new IllegalArgumentException("GEMM backend '" + name + "' needs the system's OpenBLAS (libblas.so.3),"
                            + " which did not load; available: " + available());
                }
                BlasGemm.Precision precision = key.endsWith("f32") ? BlasGemm.Precision.FLOAT : BlasGemm.Precision.DOUBLE;
                var pinned = OpenBlasThreads.pinToOneThread();
                if (pinned.isPresent()) {
                    int t = threads.getAsInt();
                    yield new BlasGemm(b, precision, key, t, key + ": " + pinned.get().config() + " over JNI, "
                            + precisionWord(precision) + " precision, one BLAS thread per call, " + split(t));
                }
                yield new BlasGemm(b, precision, key, 1, key + ": " + b.getClass().getSimpleName() + " (the system BLAS over JNI, its own threads), "
                        + precisionWord(precision) + " precision");
            }
            case "java-blas", "java-blas-f32" -> {
                BLAS b = javaBlas();
                if (b == null) {
                    throw new IllegalArgumentException("netlib's Java BLAS did not load; available: " + available());
                }
                BlasGemm.Precision precision = key.endsWith("f32") ? BlasGemm.Precision.FLOAT : BlasGemm.Precision.DOUBLE;
                int t = threads.getAsInt();
                String label = key + " (" + b.getClass().getSimpleName() + ")";
                yield new BlasGemm(b, precision, label, t, label + ": netlib's pure-Java BLAS, " + precisionWord(precision)
                        + " precision, " + split(t));
            }
            default -> throw new IllegalArgumentException("unknown GEMM backend '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    private static String split(int threads) {
        return "large products in parts fixed by their shapes, on up to " + threads + (threads == 1 ? " thread" : " threads");
    }

    private static String precisionWord(BlasGemm.Precision p) {
        return p == BlasGemm.Precision.FLOAT ? "single" : "double";
    }

    /**
     * System property: how many threads share the parts of a large product (default: the number of cores). The
     * parts themselves depend on the product's shape only, so this changes the speed, not the results.
     */
    public static final String THREADS_PROPERTY = "babysitter.gemm.threads";

    /** The threads for large products: {@link #THREADS_PROPERTY} if set, else the cores; a clear error if it is not a count. */
    static int threads() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(v.strip());
            if (t >= 1 && t <= 256) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(THREADS_PROPERTY + " must be a thread count from 1 to 256, got '" + v + "'");
    }

    /** The names usable on this machine. */
    public static List<String> available() {
        List<String> out = new ArrayList<>();
        if (nativeBlas() != null) {
            out.add("openblas-f32");
            out.add("openblas");
        }
        if (javaBlas() != null) {
            out.add("java-blas-f32");
            out.add("java-blas");
        }
        out.add("ejml-mt");
        out.add("ejml");
        return out;
    }

    /** An exact (double-precision) backend, for gradient checks: the same library in double where possible. */
    public static Gemm exact(Gemm preferred) {
        if (preferred.exact()) {
            return preferred;
        }
        if (preferred.name().startsWith("openblas")) {
            return byName("openblas");
        }
        if (preferred.name().startsWith("java-blas")) {
            return byName("java-blas");
        }
        return new EjmlGemm(true);
    }

    private static BLAS nativeBlas() {
        return Holder.NATIVE;
    }

    private static BLAS javaBlas() {
        return Holder.JAVA;
    }

    /** Loads netlib once; its warnings about implementations it could not load are not errors here. */
    private static final class Holder {
        static final BLAS NATIVE;
        static final BLAS JAVA;

        static {
            Level before = NETLIB_LOG.getLevel();
            NETLIB_LOG.setLevel(Level.SEVERE);
            BLAS nat = null;
            BLAS java = null;
            try {
                try {
                    nat = NativeBLAS.getInstance();
                } catch (RuntimeException | LinkageError e) {
                    nat = null;
                }
                try {
                    java = JavaBLAS.getInstance();
                } catch (RuntimeException | LinkageError e) {
                    java = null;
                }
            } finally {
                NETLIB_LOG.setLevel(before);
            }
            NATIVE = nat;
            JAVA = java;
        }
    }
}
