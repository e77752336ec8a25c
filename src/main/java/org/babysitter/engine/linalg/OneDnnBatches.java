package org.babysitter.engine.linalg;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_stream;

import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;

/**
 * A oneDNN pass's stream and its arenas, one per batch size, the last {@value #KEPT_SIZES} sizes kept (training's,
 * evaluation's chunk and its last one): what a pass's cleaner frees (it must not reach the pass object itself).
 */
final class OneDnnBatches<B extends OneDnnArena> implements Runnable {
    /** Batch sizes whose primitives are kept. */
    static final int KEPT_SIZES = 4;

    final dnnl_engine engine;
    final dnnl_stream stream = new dnnl_stream();
    private final Map<Integer, B> batches = new LinkedHashMap<>(8, 0.75f, true);

    OneDnnBatches(dnnl_engine engine) {
        this.engine = engine;
        OneDnnArena.check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "making a stream");
    }

    /**
     * The arena of batch size {@code n}: the kept one if {@code fits} it (made for the same input layout), else a new
     * one from {@code make}, replacing it or the least recently used size.
     */
    B batch(int n, Predicate<B> fits, Supplier<B> make) {
        B b = batches.get(n);
        if (b != null && fits.test(b)) {
            return b;
        }
        if (b != null) {
            batches.remove(n).free();
        } else if (batches.size() >= KEPT_SIZES) {
            Iterator<B> eldest = batches.values().iterator();
            eldest.next().free();
            eldest.remove();
        }
        b = make.get();
        batches.put(n, b);
        return b;
    }

    @Override
    public void run() {
        for (B b : batches.values()) {
            b.free();
        }
        batches.clear();
        dnnl_stream_destroy(stream);
    }
}
