package org.babysitter.engine.data;

/**
 * A contiguous, read-only range of records in a {@link RecordStore}: a split (train, val, test) or a
 * subset of one. Views share the store's bytes; slicing copies nothing.
 */
public final class ImageSet {
    private final RecordStore store;
    private final int from;
    private final int size;

    ImageSet(RecordStore store, int from, int size) {
        if (from < 0 || size < 0 || from + size > store.size()) {
            throw new IllegalArgumentException("range [" + from + ", " + (from + size) + ") outside 0.." + store.size());
        }
        this.store = store;
        this.from = from;
        this.size = size;
    }

    /** An empty set. */
    public static ImageSet empty() {
        return new RecordStore().all();
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int label(int i) {
        return store.label(record(i));
    }

    /** Pixel {@code j} (0..3071, channel-planar) of image {@code i}, 0..255. */
    public int pixel(int i, int j) {
        int r = record(i);
        return store.pixelArray(r)[store.pixelOffset(r) + j] & 0xFF;
    }

    /** The bytes holding image {@code i}; read them from {@link #pixelOffset(int)}, never write. */
    public byte[] pixelArray(int i) {
        return store.pixelArray(record(i));
    }

    public int pixelOffset(int i) {
        return store.pixelOffset(record(i));
    }

    /** Images {@code [start, end)} of this set. */
    public ImageSet slice(int start, int end) {
        if (start < 0 || end > size || start > end) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") of a set of " + size);
        }
        return new ImageSet(store, from + start, end - start);
    }

    /** The first {@code n} images (all of them if there are fewer). */
    public ImageSet head(int n) {
        return slice(0, Math.min(n, size));
    }

    /** How many images of each class, for {@code classes} classes. */
    public int[] classCounts(int classes) {
        int[] counts = new int[classes];
        for (int i = 0; i < size; i++) {
            int label = label(i);
            if (label < classes) {
                counts[label]++;
            }
        }
        return counts;
    }

    private int record(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("image " + i + " of " + size);
        }
        return from + i;
    }
}
