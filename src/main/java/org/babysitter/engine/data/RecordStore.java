package org.babysitter.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Images kept as bytes (3072 per image, channel-planar) with their labels, appended record by record.
 * Pixels live in chunks of at most {@value #CHUNK_RECORDS} records, so a growing store never copies more than one
 * chunk and the full CIFAR-10 takes its size in bytes (~184 MB), not four or eight times that; the last chunk grows by
 * doubling, so a small set (a single batch, a test file) takes about its own size too.
 */
public final class RecordStore {
    /** Records per pixel chunk at most. */
    public static final int CHUNK_RECORDS = 10_000;
    /** Records the first allocation of a chunk holds; it doubles as records come, up to {@link #CHUNK_RECORDS}. */
    static final int FIRST_CHUNK_RECORDS = 256;

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] labels = new byte[1024];
    private int size;

    /** Appends one image: {@code Cifar.PIXELS} bytes from {@code pixels} at {@code offset}, and its label. */
    public void append(byte[] pixels, int offset, int label) {
        if (label < 0 || label > 255) {
            throw new IllegalArgumentException("label " + label);
        }
        int chunk = size / CHUNK_RECORDS;
        int at = size % CHUNK_RECORDS;
        if (chunk == chunks.size()) {
            chunks.add(new byte[FIRST_CHUNK_RECORDS * Cifar.PIXELS]);
        } else if (chunks.get(chunk).length < (at + 1) * Cifar.PIXELS) {
            int records = Math.min(CHUNK_RECORDS, 2 * chunks.get(chunk).length / Cifar.PIXELS);
            chunks.set(chunk, Arrays.copyOf(chunks.get(chunk), records * Cifar.PIXELS));
        }
        System.arraycopy(pixels, offset, chunks.get(chunk), (size % CHUNK_RECORDS) * Cifar.PIXELS, Cifar.PIXELS);
        if (size == labels.length) {
            labels = Arrays.copyOf(labels, labels.length * 2);
        }
        labels[size++] = (byte) label;
    }

    /** Appends every record of {@code other}, in order. */
    public void appendAll(RecordStore other) {
        for (int r = 0; r < other.size; r++) {
            append(other.pixelArray(r), other.pixelOffset(r), other.label(r));
        }
    }

    /** Drops the unused tail of the last chunk; call once when appending is done. */
    public RecordStore trim() {
        int last = chunks.size() - 1;
        int used = size - last * CHUNK_RECORDS;
        if (last >= 0 && used * Cifar.PIXELS < chunks.get(last).length) {
            chunks.set(last, Arrays.copyOf(chunks.get(last), used * Cifar.PIXELS));
        }
        labels = Arrays.copyOf(labels, size);
        return this;
    }

    public int size() {
        return size;
    }

    public int label(int record) {
        return labels[record] & 0xFF;
    }

    /** The chunk that holds a record's pixels (read-only by convention); see {@link #pixelOffset}. */
    public byte[] pixelArray(int record) {
        return chunks.get(record / CHUNK_RECORDS);
    }

    /** Where a record's pixels start in {@link #pixelArray}. */
    public int pixelOffset(int record) {
        return (record % CHUNK_RECORDS) * Cifar.PIXELS;
    }

    /** All records as one view. */
    public ImageSet all() {
        return new ImageSet(this, 0, size);
    }
}
