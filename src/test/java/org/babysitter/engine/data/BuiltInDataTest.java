package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The generated built-in data: deterministic per seed, balanced over 10 classes, using the full pixel range. */
class BuiltInDataTest {

    private static byte[] pixels(ImageSet set) {
        byte[] all = new byte[set.size() * Cifar.PIXELS];
        for (int i = 0; i < set.size(); i++) {
            System.arraycopy(set.pixelArray(i), set.pixelOffset(i), all, i * Cifar.PIXELS, Cifar.PIXELS);
        }
        return all;
    }

    private static int[] labels(ImageSet set) {
        int[] l = new int[set.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = set.label(i);
        }
        return l;
    }

    @Test
    void sameSeedGivesIdenticalImages() {
        LoadedImages a = BuiltInData.generate(120, 30, 42);
        LoadedImages b = BuiltInData.generate(120, 30, 42);
        assertArrayEquals(pixels(a.training()), pixels(b.training()));
        assertArrayEquals(labels(a.training()), labels(b.training()));
        assertArrayEquals(pixels(a.test()), pixels(b.test()));
        assertArrayEquals(labels(a.test()), labels(b.test()));
        assertEquals(a.source(), b.source());
    }

    @Test
    void differentSeedGivesDifferentImages() {
        byte[] a = pixels(BuiltInData.generate(50, 0, 1).training());
        byte[] b = pixels(BuiltInData.generate(50, 0, 2).training());
        int differing = 0;
        for (int k = 0; k < a.length; k++) {
            if (a[k] != b[k]) {
                differing++;
            }
        }
        assertTrue(differing > a.length / 2, "most pixels differ between seeds: " + differing + " of " + a.length);
        // every single image differs too
        for (int i = 0; i < 50; i++) {
            boolean same = true;
            for (int j = 0; j < Cifar.PIXELS && same; j++) {
                same = a[i * Cifar.PIXELS + j] == b[i * Cifar.PIXELS + j];
            }
            assertTrue(!same, "image " + i + " is the same for seeds 1 and 2");
        }
    }

    @Test
    void imagesDependOnlyOnSeedAndIndex() {
        // the test images of (100, 20) are images 100..119 of the sequence, as are the last training images of (120, 0)
        LoadedImages split = BuiltInData.generate(100, 20, 7);
        LoadedImages whole = BuiltInData.generate(120, 0, 7);
        assertArrayEquals(pixels(whole.training().slice(0, 100)), pixels(split.training()));
        assertArrayEquals(pixels(whole.training().slice(100, 120)), pixels(split.test()));
        assertArrayEquals(labels(whole.training().slice(100, 120)), labels(split.test()));
    }

    @Test
    void allClassesArePresentAndBalanced() {
        LoadedImages images = BuiltInData.generate(200, 50, 3);
        assertArrayEquals(new int[] {20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, images.training().classCounts(10));
        assertArrayEquals(new int[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, images.test().classCounts(10));
        for (int i = 0; i < 200; i++) {
            assertTrue(images.training().label(i) < 10);
        }
        assertEquals(BuiltInData.CLASS_NAMES, images.classNames());
        assertEquals(10, images.classNames().size());
    }

    @Test
    void pixelsUseAWideRange() {
        ImageSet train = BuiltInData.generate(100, 0, 5).training();
        int[] histogram = new int[256];
        long sum = 0;
        for (int i = 0; i < train.size(); i++) {
            for (int j = 0; j < Cifar.PIXELS; j++) {
                int v = train.pixel(i, j);
                histogram[v]++;
                sum += v;
            }
        }
        int distinct = 0;
        for (int c : histogram) {
            if (c > 0) {
                distinct++;
            }
        }
        assertTrue(distinct >= 250, "distinct pixel values: " + distinct);
        assertTrue(histogram[0] > 0 && histogram[255] > 0, "both ends of the range occur");
        int low = 0;
        int high = 0;
        for (int v = 0; v < 64; v++) {
            low += histogram[v];
            high += histogram[255 - v];
        }
        long total = (long) train.size() * Cifar.PIXELS;
        assertTrue(low > total / 50 && high > total / 50, "dark and bright pixels both common: " + low + " / " + high);
        double mean = (double) sum / total;
        assertTrue(mean > 60 && mean < 190, "mean pixel " + mean);
    }

    @Test
    void imagesWithinAClassDiffer() {
        ImageSet train = BuiltInData.generate(30, 0, 9).training();
        // images 0, 10 and 20 share label 0 but are drawn with different geometry and noise
        assertEquals(train.label(0), train.label(10));
        byte[] p = pixels(train);
        int diff = 0;
        for (int j = 0; j < Cifar.PIXELS; j++) {
            if (p[j] != p[10 * Cifar.PIXELS + j]) {
                diff++;
            }
        }
        assertTrue(diff > Cifar.PIXELS / 2, "pixels differing between two images of a class: " + diff);
    }

    @Test
    void sizesAndSourceAreAsAsked() {
        LoadedImages images = BuiltInData.generate(13, 0, 11);
        assertEquals(13, images.training().size());
        assertTrue(images.test().isEmpty());
        assertTrue(images.source().contains("seed 11"), images.source());
        assertTrue(images.source().contains("13"), images.source());
    }

    @Test
    void invalidSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BuiltInData.generate(0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> BuiltInData.generate(10, -1, 1));
    }
}
