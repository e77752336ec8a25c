package org.babysitter.engine.data;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small generated CIFAR-10 archives (the binary version's layout) for tests outside this package. */
public final class CifarArchives {
    private CifarArchives() {
    }

    /** The reader tests' standard archive: two training batches (50 images) and a test batch (10). */
    public static byte[] standard() throws IOException {
        return CifarReaderTest.standardArchive();
    }

    /** One training batch and a test batch of random (incompressible) images: about 3 KB per image. */
    public static byte[] random(int trainImages, int testImages, long seed) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/", new byte[0]);
        entries.put("cifar-10-batches-bin/data_batch_1.bin", CifarReaderTest.randomBatch(trainImages, seed));
        entries.put("cifar-10-batches-bin/test_batch.bin", CifarReaderTest.randomBatch(testImages, seed + 1));
        return CifarReaderTest.tarGz(entries);
    }
}
