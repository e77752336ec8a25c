package org.babysitter.engine.linalg;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A oneDNN pass's result left in native memory, in the layout its kernel wrote (channels in blocks of 16 on AVX-512):
 * the next oneDNN pass reads it as it is (a convolution's output into ReLU, ReLU's into pooling, pooling's into the
 * next convolution), so a conv net's activations cross between Java and native memory only where a layer of the
 * engine's own reads them. Anything else gets the values as rows of the plain layout through {@link #copyTo}, which
 * reorders and copies them on demand (a matrix {@link MirroredMatrix#markNative marked} with it calls that when first
 * read).
 * <p>
 * Valid until its pass runs again with the same batch size, and while the pass object that made it is reachable (its
 * memory is freed with it): a layer's cache holds both its pass and the matrix marked with the pass's result, and a
 * net's caches live and die together.
 */
public final class OneDnnTensor implements MirroredMatrix.NativeValues {
    private final OneDnnArena arena;
    final dnnl_memory_desc md;
    final dnnl_memory memory;
    private final FloatPointer data;
    final dnnl_memory_desc plainMd;
    private final long count;
    /** Made on the first {@link #copyTo}: the plain layout's buffer and the reorder into it. */
    private FloatPointer plain;
    private OneDnnArena.Reorder toPlain;

    OneDnnTensor(OneDnnArena arena, dnnl_memory_desc md, dnnl_memory memory, FloatPointer data,
                 dnnl_memory_desc plainMd, long count) {
        this.arena = arena;
        this.md = md;
        this.memory = memory;
        this.data = data;
        this.plainMd = plainMd;
        this.count = count;
    }

    /** How many values (examples times values per example). */
    public long count() {
        return count;
    }

    @Override
    public void copyTo(float[] into, int n) {
        if (n != count) {
            throw new IllegalArgumentException("a tensor of " + count + " values read as " + n);
        }
        if (OneDnnArena.same(md, plainMd)) {
            arena.waitFor();
            data.get(into, 0, n);
            return;
        }
        if (plain == null) {
            plain = arena.floats(count);
            toPlain = arena.reorder(md, memory, plainMd, arena.memory(plainMd, plain));
        }
        toPlain.run(arena.stream);
        arena.waitFor();
        plain.get(into, 0, n);
    }
}
