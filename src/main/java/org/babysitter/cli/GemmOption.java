package org.babysitter.cli;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import picocli.CommandLine.Option;

/** Which matrix-product backend to use, and why. */
final class GemmOption {
    @Option(names = "--gemm", paramLabel = "NAME",
            description = "Matrix-product backend: openblas-bundled-f32, openblas-bundled (the OpenBLAS bundled with the app),"
                    + " openblas-f32, openblas (the system's, Linux), java-blas-f32, java-blas, ejml-mt, ejml (default: the"
                    + " first of openblas-bundled-f32, openblas-f32, java-blas-f32, ejml-mt that loads and passes a self-test;"
                    + " also -Dbabysitter.gemm=NAME).")
    String name;

    private Gemms.Choice chosen;

    Gemm gemm() {
        chosen = name == null ? Gemms.choose() : new Gemms.Choice(Gemms.byName(name), "forced (--gemm)", true, null);
        if (chosen.warning() != null) {
            System.err.println("GEMM: " + chosen.warning().replace("\n\n", " "));
        }
        return chosen.gemm();
    }

    /** What computes the products and why this backend, e.g. for a "GEMM:" line of output. */
    String explain(Gemm gemm) {
        if (chosen != null && chosen.gemm().name().equals(gemm.name())) {
            return gemm.describe() + " (" + chosen.reason() + ")";
        }
        return gemm.describe();
    }

    /**
     * The backend for {@code jobs} runs at once: each product on its share of the cores (at least one thread),
     * unless -Dbabysitter.gemm.threads says otherwise.
     */
    Gemm gemm(int jobs) {
        if (jobs == 1 || System.getProperty(Gemms.THREADS_PROPERTY) != null) {
            return gemm();
        }
        return Gemms.sharing(name, Math.max(Runtime.getRuntime().availableProcessors() / jobs, 1));
    }
}
