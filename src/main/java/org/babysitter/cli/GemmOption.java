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
}
