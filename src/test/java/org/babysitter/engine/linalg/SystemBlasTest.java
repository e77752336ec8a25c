package org.babysitter.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telling an OpenBLAS from another libblas.so.3 by the file alone, before anything loads it. */
class SystemBlasTest {
    @TempDir
    Path dir;

    private Path library(String name, int at, String word) throws Exception {
        byte[] bytes = new byte[200_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 % 251);
        }
        byte[] w = word.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(w, 0, bytes, at, w.length);
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void anOpenBlasIsKnownByItsNameAnywhereInTheFileAcrossReads() throws Exception {
        assertTrue(SystemBlas.isOpenBlas(library("a", 100, "openblas_set_num_threads")));
        assertTrue(SystemBlas.isOpenBlas(library("b", (1 << 16) - 4, "libopenblas.so.0")), "the name across two reads");
        assertTrue(SystemBlas.isOpenBlas(library("c", 200_000 - 8, "openblas")), "at the very end");
    }

    @Test
    void theReferenceBlasIsNot() throws Exception {
        assertFalse(SystemBlas.isOpenBlas(library("ref", 100, "sgemm_ cblas_sgemm xerbla_ ")));
        assertFalse(SystemBlas.isOpenBlas(library("near", (1 << 16) - 4, "openbla\0")), "a prefix is not the name");
        assertFalse(SystemBlas.isOpenBlas(dir.resolve("missing")));
    }

    @Test
    void whyNotNamesTheFileThatWasLeftAlone() {
        String why = new SystemBlas.Found(Optional.of(Path.of("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3")), false).whyNot();
        assertTrue(why.contains("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3") && why.contains("not OpenBLAS"), why);
        assertTrue(new SystemBlas.Found(Optional.empty(), false).whyNot().contains("no system OpenBLAS"));
        assertNull(new SystemBlas.Found(Optional.of(Path.of("x")), true).whyNot());
    }
}
