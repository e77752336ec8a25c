package org.babysitter.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A matrix whose values are in native memory: copied into its float copy once, on first read; forgotten once written. */
class MirroredNativeTest {
    /** Native values 1, 2, 3, ... that count how often they were copied. */
    private static final class Counting implements MirroredMatrix.NativeValues {
        int copies;

        @Override
        public void copyTo(float[] into, int count) {
            copies++;
            for (int i = 0; i < count; i++) {
                into[i] = i + 1;
            }
        }
    }

    @Test
    void nativeValuesAreCopiedOnceWhenFirstRead() {
        MirroredMatrix m = MirroredMatrix.floatOnly(2, 3);
        Counting values = new Counting();
        m.reshape(2, 3, false);
        m.markNative(values);
        assertSame(values, MirroredMatrix.nativeOf(m));
        assertEquals(0, values.copies, "nothing copied before a read");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, java.util.Arrays.copyOf(MirroredMatrix.onlyInFloat(m), 6));
        MirroredMatrix.validMirror(m);
        MirroredMatrix.ensureData(m);
        assertEquals(6.0, m.get(1, 2));
        assertEquals(1, values.copies, "copied once");
        assertSame(values, MirroredMatrix.nativeOf(m), "still there for the next native pass");
    }

    @Test
    void writingTheMatrixForgetsItsNativeValues() {
        MirroredMatrix m = MirroredMatrix.floatOnly(1, 2);
        Counting values = new Counting();
        m.markNative(values);
        m.reshape(1, 2, false);
        assertNull(MirroredMatrix.nativeOf(m), "reshaped for new values");
        m.markNative(values);
        m.mirror()[0] = 7; // a reader's copy first: the values are copied in, then overwritten
        m.markFloatOnly();
        assertNull(MirroredMatrix.nativeOf(m));
        assertEquals(7f, MirroredMatrix.onlyInFloat(m)[0]);
        m.markNative(values);
        m.invalidateMirror();
        assertNull(MirroredMatrix.nativeOf(m));
    }
}
