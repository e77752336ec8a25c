package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * SplitSpec (the lecture's split), Dataset, RecordStore and ImageSet. Every record carries its index in its
 * first two pixels, and its label is a function of the index, so slices can be checked record by record.
 */
class SplitSpecTest {
    private static final List<String> NAMES = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");

    /** Label of record i: not i % 10, so an off-by-one range shows. */
    static int labelOf(int i) {
        return (i * 3 + i / 10) % 10;
    }

    /** Pixel j of record i; pixels 0 and 1 encode i. */
    static int pixelOf(int i, int j) {
        if (j == 0) {
            return i & 0xFF;
        }
        if (j == 1) {
            return (i >>> 8) & 0xFF;
        }
        return (i * 31 + j * 7) & 0xFF;
    }

    static RecordStore store(int n, int offset) {
        RecordStore s = new RecordStore();
        byte[] px = new byte[Cifar.PIXELS];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < Cifar.PIXELS; j++) {
                px[j] = (byte) pixelOf(offset + i, j);
            }
            s.append(px, 0, labelOf(offset + i));
        }
        return s.trim();
    }

    static int indexOf(ImageSet set, int i) {
        return set.pixel(i, 0) | set.pixel(i, 1) << 8;
    }

    static LoadedImages images(int training, int test) {
        return new LoadedImages("test images", NAMES, store(training, 0).all(), store(test, 50_000).all());
    }

    /** Asserts that {@code set} holds records first..first+size-1 of a store built with offset 0. */
    static void assertRecords(ImageSet set, int first, int size) {
        assertEquals(size, set.size());
        for (int i = 0; i < size; i++) {
            assertEquals(first + i, indexOf(set, i), "record at position " + i);
            assertEquals(labelOf(first + i), set.label(i), "label at position " + i);
        }
    }

    // ---------------------------------------------------------------- SplitSpec

    @Test
    void autoValidationIsAThousandButAtMostATenth() {
        SplitSpec s = SplitSpec.LECTURE;
        assertEquals(1000, s.resolvedValSize(50_000));
        assertEquals(1000, s.resolvedValSize(10_000));
        assertEquals(999, s.resolvedValSize(9_999));
        assertEquals(500, s.resolvedValSize(5_000));
        assertEquals(50, s.resolvedValSize(500));
        assertEquals(0, s.resolvedValSize(9));
        assertEquals(250, new SplitSpec(250, SplitSpec.ALL, SplitSpec.ALL).resolvedValSize(50_000), "explicit size kept");
    }

    @Test
    void lectureSplitTakesValidationFromTheLastRecords() {
        Dataset d = SplitSpec.LECTURE.apply(images(600, 25));
        assertRecords(d.train(), 0, 540);
        assertRecords(d.val(), 540, 60);
        assertEquals(25, d.test().size());
        for (int i = 0; i < 25; i++) {
            assertEquals(50_000 + i, indexOf(d.test(), i), "test record " + i);
            assertEquals(labelOf(50_000 + i), d.test().label(i));
        }
        assertEquals("540 train / 60 val / 25 test", d.describeSplit());
        assertEquals(10, d.classCount());
        assertEquals(NAMES, d.classNames());
        assertEquals("test images", d.source());
    }

    @Test
    void validationPixelsAreThoseOfTheLastRecords() {
        Dataset d = SplitSpec.LECTURE.apply(images(300, 0));
        ImageSet val = d.val();
        assertEquals(30, val.size());
        for (int j = 0; j < Cifar.PIXELS; j += 97) {
            assertEquals(pixelOf(270, j), val.pixel(0, j), "first val image, pixel " + j);
            assertEquals(pixelOf(299, j), val.pixel(29, j), "last val image, pixel " + j);
            assertEquals(pixelOf(269, j), d.train().pixel(269, j), "last train image, pixel " + j);
        }
    }

    @Test
    void trainSizeLimitGivesTheFirstRecords() {
        Dataset d = SplitSpec.LECTURE.withTrainSize(20).apply(images(400, 10));
        assertRecords(d.train(), 0, 20);
        assertRecords(d.val(), 360, 40);
        assertEquals(10, d.test().size());
    }

    @Test
    void explicitSizesAreApplied() {
        Dataset d = new SplitSpec(100, 50, 7).apply(images(1000, 20));
        assertRecords(d.train(), 0, 50);
        assertRecords(d.val(), 900, 100);
        assertEquals(7, d.test().size());
        assertEquals(labelOf(50_006), d.test().label(6));
    }

    @Test
    void trainSizeTakingEverythingLeftIsAllowed() {
        Dataset d = new SplitSpec(10, 90, 0).apply(images(100, 0));
        assertRecords(d.train(), 0, 90);
        assertRecords(d.val(), 90, 10);
        assertTrue(d.test().isEmpty());
    }

    @Test
    void zeroValidationGivesAnEmptyValidationSet() {
        Dataset d = new SplitSpec(0, SplitSpec.ALL, SplitSpec.ALL).apply(images(30, 0));
        assertRecords(d.train(), 0, 30);
        assertTrue(d.val().isEmpty());
        Dataset tiny = SplitSpec.LECTURE.apply(images(9, 0));
        assertEquals(9, tiny.train().size(), "auto validation of 9 records is 0");
        assertEquals(0, tiny.val().size());
    }

    @Test
    void oversizeTrainingRequestIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SplitSpec.LECTURE.withTrainSize(500).apply(images(500, 0)));
        assertEquals("training size 500 exceeds the 450 images left after taking 50 for validation", e.getMessage());
    }

    @Test
    void oversizeValidationRequestIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SplitSpec(200, SplitSpec.ALL, SplitSpec.ALL).apply(images(200, 0)));
        assertEquals("validation size 200 leaves no training images out of 200", e.getMessage());
        IllegalArgumentException more = assertThrows(IllegalArgumentException.class,
                () -> new SplitSpec(5000, SplitSpec.ALL, SplitSpec.ALL).apply(images(200, 0)));
        assertTrue(more.getMessage().contains("validation size 5000"), more.getMessage());
    }

    @Test
    void oversizeTestRequestIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SplitSpec(SplitSpec.AUTO, SplitSpec.ALL, 11).apply(images(100, 10)));
        assertEquals("test size 11 exceeds the 10 test images", e.getMessage());
    }

    @Test
    void negativeSizesAreRejected() {
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> new SplitSpec(-2, 0, 0));
        assertTrue(v.getMessage().contains("validation size"), v.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> new SplitSpec(-1, -1, 0));
        assertTrue(t.getMessage().contains("training size"), t.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> new SplitSpec(-1, 0, -3));
        assertTrue(s.getMessage().contains("test size"), s.getMessage());
    }

    @Test
    void withTrainSizeKeepsTheOtherSizes() {
        SplitSpec s = new SplitSpec(123, 0, 45).withTrainSize(20);
        assertEquals(new SplitSpec(123, 20, 45), s);
    }

    // ---------------------------------------------------------------- Dataset / LoadedImages

    @Test
    void datasetRejectsMissingParts() {
        ImageSet some = store(3, 0).all();
        assertThrows(IllegalArgumentException.class, () -> new Dataset("s", List.of("only"), some, some, some));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("s", NAMES, ImageSet.empty(), some, some));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("s", NAMES, some, null, some));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("s", NAMES, some, some, null));
    }

    @Test
    void loadedImagesDefaultsTheTestSetAndChecksTheRest() {
        ImageSet some = store(3, 0).all();
        LoadedImages l = new LoadedImages("src", NAMES, some, null);
        assertTrue(l.test().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new LoadedImages(" ", NAMES, some, null));
        assertThrows(IllegalArgumentException.class, () -> new LoadedImages("src", List.of("x"), some, null));
        assertThrows(IllegalArgumentException.class, () -> new LoadedImages("src", NAMES, ImageSet.empty(), null));
    }

    // ---------------------------------------------------------------- RecordStore / ImageSet

    @Test
    void recordStoreWorksAcrossTheChunkBoundary() {
        int n = RecordStore.CHUNK_RECORDS + 5;
        RecordStore s = store(n, 0);
        assertEquals(10_005, s.size());
        ImageSet all = s.all();
        int r = 10_003;
        for (int j = 0; j < Cifar.PIXELS; j++) {
            assertEquals(pixelOf(r, j), all.pixel(r, j), "pixel " + j + " of record 10003");
        }
        assertEquals(labelOf(r), s.label(r));
        assertEquals(3 * Cifar.PIXELS, s.pixelOffset(r), "offset within the second chunk");
        assertNotSame(s.pixelArray(9_999), s.pixelArray(10_000), "records 9999 and 10000 are in different chunks");
        assertSame(s.pixelArray(10_000), s.pixelArray(10_004));
        assertEquals(5 * Cifar.PIXELS, s.pixelArray(10_004).length, "trim drops the unused tail of the last chunk");
        assertEquals(RecordStore.CHUNK_RECORDS * Cifar.PIXELS, s.pixelArray(0).length, "full chunks are kept whole");
        // both sides of the boundary
        for (int i : new int[] {0, 9_998, 9_999, 10_000, 10_001, 10_004}) {
            assertEquals(i, indexOf(all, i), "record " + i);
            assertEquals(pixelOf(i, 3071), all.pixel(i, 3071), "last pixel of record " + i);
        }
    }

    @Test
    void appendAllCopiesEveryRecordInOrderAcrossChunks() {
        RecordStore a = store(RecordStore.CHUNK_RECORDS + 2, 0);
        RecordStore b = new RecordStore();
        byte[] px = new byte[Cifar.PIXELS];
        px[0] = 7;
        b.append(px, 0, 9);
        b.appendAll(a);
        b.trim();
        assertEquals(RecordStore.CHUNK_RECORDS + 3, b.size());
        assertEquals(9, b.label(0));
        assertEquals(7, b.all().pixel(0, 0));
        for (int i : new int[] {0, 9_998, 9_999, 10_000, 10_001}) {
            assertEquals(i, indexOf(b.all(), i + 1), "record " + i + " of a at " + (i + 1));
            assertEquals(labelOf(i), b.label(i + 1));
        }
    }

    @Test
    void appendCopiesFromTheGivenOffset() {
        byte[] two = new byte[2 * Cifar.PIXELS + 5];
        for (int j = 0; j < Cifar.PIXELS; j++) {
            two[5 + Cifar.PIXELS + j] = (byte) (j % 251 + 3);
        }
        RecordStore s = new RecordStore();
        s.append(two, 5 + Cifar.PIXELS, 4);
        two[5 + Cifar.PIXELS] = 0; // the store keeps its own copy
        assertEquals(3, s.all().pixel(0, 0));
        assertEquals(3071 % 251 + 3, s.all().pixel(0, 3071));
    }

    @Test
    void labelsAreStoredUnsigned() {
        RecordStore s = new RecordStore();
        s.append(new byte[Cifar.PIXELS], 0, 255);
        s.append(new byte[Cifar.PIXELS], 0, 128);
        assertEquals(255, s.label(0));
        assertEquals(128, s.label(1));
        assertThrows(IllegalArgumentException.class, () -> s.append(new byte[Cifar.PIXELS], 0, 256));
        assertThrows(IllegalArgumentException.class, () -> s.append(new byte[Cifar.PIXELS], 0, -1));
    }

    @Test
    void labelArrayGrowsPastItsInitialCapacity() {
        RecordStore s = store(2_100, 0);
        for (int i : new int[] {0, 1023, 1024, 2047, 2048, 2099}) {
            assertEquals(labelOf(i), s.label(i), "label " + i);
        }
    }

    @Test
    void emptyStoreTrimsToAnEmptySet() {
        RecordStore s = new RecordStore().trim();
        assertEquals(0, s.size());
        assertTrue(s.all().isEmpty());
        assertTrue(ImageSet.empty().isEmpty());
    }

    @Test
    void slicesAndHeadsAreViews() {
        ImageSet all = store(50, 0).all();
        ImageSet mid = all.slice(10, 30);
        assertRecords(mid, 10, 20);
        ImageSet inner = mid.slice(5, 8);
        assertRecords(inner, 15, 3);
        assertSame(all.pixelArray(16), inner.pixelArray(1), "slices share the bytes");
        assertEquals(all.pixelOffset(16), inner.pixelOffset(1));
        assertRecords(all.head(7), 0, 7);
        assertRecords(mid.head(100), 10, 20);
        assertEquals(0, all.slice(4, 4).size());
    }

    @Test
    void badRangesAreRejected() {
        ImageSet all = store(10, 0).all();
        assertThrows(IllegalArgumentException.class, () -> all.slice(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> all.slice(0, 11));
        assertThrows(IllegalArgumentException.class, () -> all.slice(5, 4));
        ImageSet mid = all.slice(2, 5);
        assertThrows(IndexOutOfBoundsException.class, () -> mid.label(3));
        assertThrows(IndexOutOfBoundsException.class, () -> mid.pixel(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> mid.pixelArray(3));
    }

    @Test
    void classCountsCountEachLabel() {
        ImageSet all = store(40, 0).all();
        int[] expected = new int[10];
        for (int i = 0; i < 40; i++) {
            expected[labelOf(i)]++;
        }
        assertArrayEquals(expected, all.classCounts(10));
        int[] firstFive = new int[5];
        for (int i = 0; i < 40; i++) {
            if (labelOf(i) < 5) {
                firstFive[labelOf(i)]++;
            }
        }
        assertArrayEquals(firstFive, all.classCounts(5), "labels outside the range are ignored");
    }
}
