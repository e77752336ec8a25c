package org.babysitter.cli;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import picocli.CommandLine.Option;

/** Which matrix-product backend to use. */
final class GemmOption {
    @Option(names = "--gemm", paramLabel = "NAME",
            description = "Matrix-product backend (default: the fastest available; also -Dbabysitter.gemm=NAME).")
    String name;

    Gemm gemm() {
        return name == null ? Gemms.fromSystemProperty() : Gemms.byName(name);
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
