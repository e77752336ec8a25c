package org.babysitter.engine.linalg;

/**
 * Chooses the GEMM backend at start-up. The system property {@code babysitter.gemm} (or the CLI's
 * {@code --gemm}) forces one by name; otherwise the fastest available is used, with EJML's
 * multi-threaded products as the always-available fallback.
 */
public final class Gemms {
    public static final String PROPERTY = "babysitter.gemm";

    private Gemms() {
    }

    /** The backend named by the system property, else the default. */
    public static Gemm fromSystemProperty() {
        String name = System.getProperty(PROPERTY);
        return name == null || name.isBlank() ? best() : byName(name);
    }

    /** The fastest available backend. */
    public static Gemm best() {
        return new EjmlGemm(true);
    }

    /** A backend by name: "ejml", "ejml-mt". */
    public static Gemm byName(String name) {
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "ejml" -> new EjmlGemm(false);
            case "ejml-mt" -> new EjmlGemm(true);
            default -> throw new IllegalArgumentException("unknown GEMM backend '" + name + "' (known: ejml, ejml-mt)");
        };
    }

    /** An exact (double-precision) backend, for gradient checks. */
    public static Gemm exact(Gemm preferred) {
        return preferred.exact() ? preferred : new EjmlGemm(true);
    }
}
