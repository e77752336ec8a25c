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
 * forces one by name; otherwise the first of {@link #ORDER} that is available here and passes a self-test (a small
 * product compared with a plain-Java one, {@link SelfTest}), in this order:
 * <ol>
 * <li>{@code openblas-bundled-f32}: the OpenBLAS bundled with the app ({@link BundledOpenBlas}), single precision;</li>
 * <li>{@code openblas-f32}: the system's OpenBLAS over netlib's JNI (Linux with libblas.so.3 installed);</li>
 * <li>{@code java-blas-f32}: netlib's pure-Java BLAS: Vector API when {@code --add-modules jdk.incubator.vector} is
 * given, plain Java otherwise;</li>
 * <li>{@code ejml-mt}: EJML's own products.</li>
 * </ol>
 * The bundled library comes before the system's because it was as fast or faster here (OpenBLAS 0.3.31 against
 * Debian's 0.3.21, BENCHMARKS.md), and it is the same library on every machine; the system's is next, for a build
 * without this OS's natives (built for another platform) or a bundled library that fails. {@code openblas-bundled},
 * {@code openblas}, {@code java-blas} (double precision), {@code ejml} are available by name. {@link #choose()} says
 * which backend runs and why.
 */
public final class Gemms {
    public static final String PROPERTY = "babysitter.gemm";
    public static final List<String> NAMES = List.of("openblas-bundled-f32", "openblas-bundled", "openblas-f32", "openblas",
            "java-blas-f32", "java-blas", "ejml-mt", "ejml");
    /** The default's order of preference (see the class comment). */
    public static final List<String> ORDER = List.of("openblas-bundled-f32", "openblas-f32", "java-blas-f32", "ejml-mt");

    private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib.blas");

    private Gemms() {
    }

    /**
     * The backend that runs and why, for the user: e.g. "openblas-bundled-f32" and "bundled OpenBLAS 0.3.31 ...: no
     * system OpenBLAS found". {@code forced} is true when a name chose it; {@code warning} (null if none) says what went
     * wrong on the way, for a notice: a backend that failed the self-test, a forced name that is not available here.
     */
    public record Choice(Gemm gemm, String reason, boolean forced, String warning) {
        public Choice {
            if (gemm == null || reason == null) {
                throw new IllegalArgumentException("gemm and reason must not be null");
            }
        }

        /** "NAME: REASON", e.g. "openblas-bundled-f32: bundled OpenBLAS 0.3.31: no system OpenBLAS found". */
        public String summary() {
            return gemm.name() + ": " + reason;
        }
    }

    /** The backend named by the system property, else the default. */
    public static Gemm fromSystemProperty() {
        return choose().gemm();
    }

    /**
     * The backend named by the system property (forced), else the first of {@link #ORDER} that loads and passes the
     * self-test, with why. The first call may extract the bundled OpenBLAS (seconds): not on the FX thread.
     */
    public static Choice choose() {
        String name = System.getProperty(PROPERTY);
        if (name != null && !name.isBlank()) {
            Gemm g = byName(name);
            return new Choice(g, "forced (" + PROPERTY + " / --gemm)", true, null);
        }
        return withSystemStatus(choose(ORDER, Gemms::byName, SelfTest::check));
    }

    /** The bundled library's choice says why not the system's: there is none, or it was passed over. */
    private static Choice withSystemStatus(Choice c) {
        if (!c.gemm().name().startsWith("openblas-bundled")) {
            return c;
        }
        String system = nativeBlas() == null ? (Holder.SYSTEM.openBlas() ? "the system's OpenBLAS did not load" : Holder.SYSTEM.whyNot())
                : "preferred to the system's " + OpenBlasThreads.pinToOneThread().map(p -> BundledOpenBlas.versionOf(p.config()))
                        .orElse("BLAS") + " (as fast or faster here, and the same on every machine)";
        return new Choice(c.gemm(), BundledOpenBlas.load().label() + ": " + system + (c.reason().equals(FIRST) ? "" : "; "
                + c.reason()), c.forced(), c.warning());
    }

    /**
     * As {@link #choose()}, {@code name} (null: none) forcing a backend; a name that is unknown or not available here
     * gives the default choice with a warning saying so (for the app, which starts anyway).
     */
    public static Choice choose(String name) {
        if (name == null || name.isBlank()) {
            return choose();
        }
        try {
            Gemm g = byName(name);
            return new Choice(g, "forced (--gemm)", true, null);
        } catch (IllegalArgumentException e) {
            Choice instead = withSystemStatus(choose(ORDER, Gemms::byName, SelfTest::check));
            return new Choice(instead.gemm(), instead.reason(), false,
                    e.getMessage() + "\n\nUsing " + instead.gemm().name() + " instead.");
        }
    }

    /**
     * The first of {@code order} that {@code make} builds (an IllegalArgumentException: not available) and
     * {@code check} passes (a non-null message: it failed), with the reasons the earlier ones were passed over.
     * EJML's single-threaded product is the last resort if none does.
     */
    static Choice choose(List<String> order, java.util.function.Function<String, Gemm> make,
                         java.util.function.Function<Gemm, String> check) {
        List<String> passedOver = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String name : order) {
            Gemm g;
            try {
                g = make.apply(name);
            } catch (IllegalArgumentException e) {
                passedOver.add(name + " not available (" + e.getMessage() + ")");
                continue;
            }
            String failed = check.apply(g);
            if (failed != null) {
                String f = name + " failed the start-up self-test (" + failed + ")";
                passedOver.add(f);
                failures.add(f);
                continue;
            }
            return new Choice(g, why(g, passedOver), false, warning(g, failures));
        }
        Gemm last = new EjmlGemm(false);
        passedOver.add("none of " + order + " passed");
        return new Choice(last, why(last, passedOver), false, warning(last, failures));
    }

    private static String warning(Gemm chosen, List<String> failures) {
        return failures.isEmpty() ? null : String.join("\n", failures) + "\n\nUsing " + chosen.name() + " instead.";
    }

    private static String why(Gemm g, List<String> passedOver) {
        return passedOver.isEmpty() ? FIRST : String.join("; ", passedOver);
    }

    private static final String FIRST = "the first choice";

    /** The fastest available backend (as {@link #choose()} without a forced name). */
    public static Gemm best() {
        return byName(bestName());
    }

    private static String bestName() {
        return choose(ORDER, Gemms::byName, SelfTest::check).gemm().name().replaceFirst(" .*", "");
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
            case "openblas-bundled", "openblas-bundled-f32" -> {
                BundledOpenBlas.Status s = BundledOpenBlas.load();
                if (!s.loaded()) {
                    throw new IllegalArgumentException(s.problem());
                }
                BlasGemm.Precision precision = key.endsWith("f32") ? BlasGemm.Precision.FLOAT : BlasGemm.Precision.DOUBLE;
                int t = threads.getAsInt();
                yield new BlasGemm(s.kernel().orElseThrow(), precision, key, t, BlasGemm.K_SLICE, key + ": " + s.label()
                        + (s.copies() ? " through JavaCPP (operands copied to native memory per call)" : " over netlib's JNI (no copies)")
                        + ", " + precisionWord(precision) + " precision" + (s.pinned() ? ", one BLAS thread per call, " : ", ")
                        + split(t));
            }
            case "ejml" -> new EjmlGemm(false);
            case "ejml-mt" -> new EjmlGemm(true);
            case "openblas", "openblas-f32" -> {
                BLAS b = nativeBlas();
                if (b == null) {
                    throw new IllegalArgumentException((Holder.SYSTEM.openBlas() ? "the system's OpenBLAS did not load"
                            : Holder.SYSTEM.whyNot()) + ": GEMM backend '" + name
                            + "' needs the system's libblas.so.3, an OpenBLAS, over netlib's JNI (Linux)");
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
                    throw new IllegalArgumentException("netlib's Java BLAS did not load");
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

    /** The names usable on this machine (loads the bundled OpenBLAS). */
    public static List<String> available() {
        List<String> out = new ArrayList<>();
        if (BundledOpenBlas.load().loaded()) {
            out.add("openblas-bundled-f32");
            out.add("openblas-bundled");
        }
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
        if (preferred.name().startsWith("openblas-bundled")) {
            return byName("openblas-bundled");
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

    /** Whether the system's BLAS loaded over netlib's JNI (loads it first if it has not been tried). */
    static boolean nativeBlasLoaded() {
        return Holder.NATIVE != null;
    }

    private static BLAS javaBlas() {
        return Holder.JAVA;
    }

    private static final String NETLIB_LIB_PROPERTY = "dev.ludovic.netlib.blas.nativeLib";
    private static final String NETLIB_PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";

    /** Loads netlib once; its warnings about implementations it could not load are not errors here. */
    private static final class Holder {
        /** The system's libblas.so.3, looked at before anything loads it. */
        static final SystemBlas.Found SYSTEM = SystemBlas.find();
        static final BLAS NATIVE;
        static final BLAS JAVA;

        static {
            Level before = NETLIB_LOG.getLevel();
            NETLIB_LOG.setLevel(Level.SEVERE);
            BLAS nat = null;
            BLAS java = null;
            // netlib builds its native instance with its first class, even for JavaBLAS alone: a system BLAS that is not
            // OpenBLAS is kept out by pointing its wrapper at a library that does not exist, for that moment
            String previous = System.getProperty(NETLIB_LIB_PROPERTY);
            boolean keepOut = !SYSTEM.openBlas() && System.getProperty(NETLIB_PATH_PROPERTY) == null;
            if (keepOut) {
                System.setProperty(NETLIB_LIB_PROPERTY, "libbabysitter-no-system-blas.so");
            }
            try {
                try {
                    nat = SYSTEM.openBlas() ? NativeBLAS.getInstance() : null; // see SystemBlas: only an OpenBLAS
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
                if (keepOut && previous == null) {
                    System.clearProperty(NETLIB_LIB_PROPERTY);
                } else if (keepOut) {
                    System.setProperty(NETLIB_LIB_PROPERTY, previous);
                }
            }
            NATIVE = nat;
            JAVA = java;
        }
    }
}
