package org.babysitter.engine.linalg;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.ludovic.netlib.blas.BLAS;
import org.babysitter.engine.io.AppFolders;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The OpenBLAS bundled with the app ({@code org.bytedeco:openblas}, natives of the build's own OS only): loaded once,
 * on first use, by JavaCPP, which extracts the natives (about 40 MB) into {@link #cacheFolder()} on the first start
 * and finds them there afterwards. The cache is under the app's data folder ({@link AppFolders#home()}), never the
 * current directory; {@code -Dorg.bytedeco.javacpp.cachedir=DIR} puts it elsewhere.
 * <p>
 * <b>How it is called.</b>
 * <ul>
 * <li>Linux (x86-64, arm64): through netlib's own JNI wrapper, which hands the engine's arrays to the library in place
 * (GetPrimitiveArrayCritical, no copies) and takes offsets. netlib's wrapper {@code dlopen}s the library named by
 * {@code dev.ludovic.netlib.blas.nativeLibPath} when it loads; the system OpenBLAS may already hold netlib's wrapper in
 * this process (it is loaded once per class loader), so a second copy of netlib's BLAS classes is loaded by a class
 * loader of their own, with the property set to the bundled library for that moment.</li>
 * <li>macOS and Windows (netlib ships no JNI wrapper there): JavaCPP's {@code cblas_sgemm}/{@code cblas_dgemm}, with
 * the spans of the operands each call reads copied to native memory and the output's span back
 * ({@link CopyingCblasKernel} says why and what it costs).</li>
 * </ul>
 * The library is pinned to one thread per call ({@link OpenBlasThreads#pin(Path)}), as the system one is.
 */
public final class BundledOpenBlas {
    /** JavaCPP's system property for its cache. */
    public static final String CACHE_PROPERTY = "org.bytedeco.javacpp.cachedir";
    private static final String NETLIB_PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
    /**
     * System property: {@code true} calls the bundled library through JavaCPP (copying) on Linux too, to measure here
     * what macOS and Windows get.
     */
    public static final String JAVACPP_PROPERTY = "babysitter.openblas.javacpp";

    private BundledOpenBlas() {
    }

    /**
     * What loading found: the kernel (empty with {@code problem} saying why), the library's build string, the library
     * file, whether the calls copy their operands.
     */
    public record Status(Optional<BlasKernel> kernel, String version, Path library, boolean copies, boolean pinned,
                         String problem) {
        /** In a few words for the user, e.g. "bundled OpenBLAS 0.3.31". */
        public String label() {
            return "bundled " + version;
        }

        public boolean loaded() {
            return kernel.isPresent();
        }
    }

    private static volatile Status status;

    /** True once {@link #load()} has run (then it returns at once). */
    public static boolean isLoaded() {
        return status != null;
    }

    /** The native cache: the system property if set, else {@code cache/javacpp} in the app's folder. */
    public static Path cacheFolder() {
        return cacheFolder(System.getProperty(CACHE_PROPERTY), AppFolders.home());
    }

    /** The cache for a property value {@code property} (may be null) and an app folder {@code home}. */
    static Path cacheFolder(String property, Path home) {
        return property != null && !property.isBlank() ? Path.of(property) : home.resolve("cache").resolve("javacpp");
    }

    /** Loads the bundled OpenBLAS once (the first time may extract it: seconds), never throwing. */
    public static synchronized Status load() {
        if (status == null) {
            status = tryLoad();
        }
        return status;
    }

    /** The kernel that copies operand spans (the macOS and Windows path), for tests on any OS; empty if not loaded. */
    static Optional<BlasKernel> copyingKernel() {
        return load().loaded() ? Optional.of(new CopyingCblasKernel()) : Optional.empty();
    }

    /** Points JavaCPP's cache at {@link #cacheFolder()} unless the property is set: the bundled natives extract there. */
    static void useAppCache() {
        if (System.getProperty(CACHE_PROPERTY) == null) {
            System.setProperty(CACHE_PROPERTY, cacheFolder().toString());
        }
    }

    private static Status tryLoad() {
        useAppCache();
        // the system's first: its libblas.so.3 needs "libopenblas.so.0", which is also the bundled library's soname, so
        // with the bundled one loaded first the system's would run the bundled library
        Gemms.nativeBlasLoaded();
        Path lib;
        try {
            Loader.load(openblas_nolapack.class);
            lib = library(Loader.getLoadedLibraries()).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return new Status(Optional.empty(), "OpenBLAS", null, false, false,
                    "the bundled OpenBLAS did not load (" + e + ")");
        }
        Optional<OpenBlasThreads.Pinned> pinned = lib == null ? Optional.empty() : OpenBlasThreads.pin(lib);
        if (pinned.isEmpty()) {
            openblas_nolapack.blas_set_num_threads(1);
        }
        String version = pinned.map(p -> versionOf(p.config())).orElse("OpenBLAS");
        Optional<BLAS> netlib = lib == null || Boolean.getBoolean(JAVACPP_PROPERTY) ? Optional.empty() : netlibOn(lib);
        if (netlib.isPresent()) {
            return new Status(Optional.of(BlasKernel.of(netlib.get())), version, lib, false, pinned.isPresent(), null);
        }
        return new Status(Optional.of(new CopyingCblasKernel()), version, lib, true, pinned.isPresent(), null);
    }

    /** "OpenBLAS 0.3.31" from a build string such as "OpenBLAS 0.3.31  USE64BITINT DYNAMIC_ARCH ... Haswell MAX_THREADS=64". */
    static String versionOf(String config) {
        String[] words = config.strip().split("\\s+");
        return words.length >= 2 && words[0].equals("OpenBLAS") ? words[0] + " " + words[1] : "OpenBLAS";
    }

    /** The file of the OpenBLAS JavaCPP loaded, from its map of library names to files. */
    static Optional<Path> library(Map<String, String> loaded) {
        return loaded.entrySet().stream()
                .filter(e -> e.getKey().contains("openblas_nolapack") && !e.getKey().contains("jni") && e.getValue() != null)
                .map(e -> Path.of(e.getValue()))
                .findFirst();
    }

    /**
     * netlib's JNI BLAS bound to the library {@code lib}, from a class loader of its own; empty where netlib has no JNI
     * wrapper (macOS, Windows) or it does not load.
     */
    private static Optional<BLAS> netlibOn(Path lib) {
        URL jar = BLAS.class.getProtectionDomain().getCodeSource() == null ? null
                : BLAS.class.getProtectionDomain().getCodeSource().getLocation();
        if (jar == null || BLAS.class.getClassLoader().getResource(netlibResource()) == null) {
            return Optional.empty();
        }
        Logger netlibLog = Logger.getLogger("dev.ludovic.netlib.blas");
        Level before = netlibLog.getLevel();
        String previous = System.getProperty(NETLIB_PATH_PROPERTY);
        netlibLog.setLevel(Level.SEVERE);
        try {
            System.setProperty(NETLIB_PATH_PROPERTY, lib.toString());
            ClassLoader own = new OwnNetlib(jar, BLAS.class.getClassLoader());
            var getInstance = Class.forName("dev.ludovic.netlib.blas.JNIBLAS", true, own).getDeclaredMethod("getInstance");
            getInstance.setAccessible(true);
            return Optional.of((BLAS) getInstance.invoke(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty();
        } finally {
            if (previous == null) {
                System.clearProperty(NETLIB_PATH_PROPERTY);
            } else {
                System.setProperty(NETLIB_PATH_PROPERTY, previous);
            }
            netlibLog.setLevel(before);
        }
    }

    /** Where netlib keeps its JNI wrapper for this OS and architecture (as JNIBLAS looks it up). */
    private static String netlibResource() {
        return String.format("resources/native/%s-%s/libnetlibblasjni.so", System.getProperty("os.name"),
                System.getProperty("os.arch"));
    }

    /**
     * Loads netlib's BLAS implementation classes itself (so they and their JNI wrapper are a second copy), everything
     * else, the {@link BLAS} interface included, from the parent.
     */
    private static final class OwnNetlib extends URLClassLoader {
        OwnNetlib(URL jar, ClassLoader parent) {
            super(new URL[] {jar}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.ludovic.netlib.blas.") || name.equals(BLAS.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
