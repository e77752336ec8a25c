package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

/**
 * The built-in set is a fixed function of its seed, "identical on every machine" (BuiltInData), and the numbers the
 * README and the tests quote were measured on it: these checksums pin it, class by class. A deliberate change to the
 * generator changes them (and then the documented numbers need measuring again); an accidental one is caught here.
 * The checksums were taken from the generator as committed: CRC-32 over each image's label byte and 3072 pixel bytes,
 * in order, per class.
 */
class BuiltInDataGoldenTest {
    /** CRC-32 per class (index = label) over the first 200 training and 20 test images of the default seed. */
    private static final long[] TRAINING = {
        2576639589L, 3465455397L, 4144363854L, 3499860979L, 760020893L, 1953597954L, 3446481741L, 1213204342L, 1745243730L, 1300075311L};
    private static final long[] TEST = {
        3738274833L, 1270858986L, 240481600L, 4088595994L, 861607910L, 4235511004L, 1023182390L, 4066393571L, 2120300369L, 3526232336L};

    static long[] checksums(ImageSet set) {
        CRC32[] crc = new CRC32[BuiltInData.CLASS_NAMES.size()];
        for (int c = 0; c < crc.length; c++) {
            crc[c] = new CRC32();
        }
        for (int i = 0; i < set.size(); i++) {
            CRC32 k = crc[set.label(i)];
            k.update(set.label(i));
            k.update(set.pixelArray(i), set.pixelOffset(i), Cifar.PIXELS);
        }
        long[] out = new long[crc.length];
        for (int c = 0; c < crc.length; c++) {
            out[c] = crc[c].getValue();
        }
        return out;
    }

    @Test
    void theDefaultSeedGivesTheSameImagesAsWhenTheNumbersWereMeasured() {
        LoadedImages images = BuiltInData.generate(200, 20, BuiltInData.DEFAULT_SEED);
        long[] training = checksums(images.training());
        long[] test = checksums(images.test());
        String got = java.util.Arrays.toString(training) + " / " + java.util.Arrays.toString(test);
        assertArrayEquals(TRAINING, training, got);
        assertArrayEquals(TEST, test, got);
        assertEquals(220, images.training().size() + images.test().size());
    }
}
