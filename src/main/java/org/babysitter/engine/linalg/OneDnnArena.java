package org.babysitter.engine.linalg;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_clone;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_create_with_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

/**
 * The native objects of one batch size of a oneDNN pass ({@link OneDnnConv}, {@link OneDnnPool}, {@link OneDnnRelu}):
 * descriptors, primitives, buffers and memories, made through its methods and freed together by {@link #free()}, the
 * last made first. Also what a pass shares with the next: its results as {@link OneDnnTensor tensors}, and the
 * reorders that take another pass's tensor into this pass's layout.
 */
abstract class OneDnnArena {
    /** Another pass's tensors taken in at once, at most (a pass's producer is the same every step). */
    private static final int KEPT_IMPORTS = 4;

    final dnnl_engine engine;
    final dnnl_stream stream;
    /** What frees each native object made, in order of making. */
    private final List<Runnable> frees = new ArrayList<>();
    /** Per tensor of another pass and layout: the reorder that takes it in (see {@link #takeIn}). */
    private final Map<OneDnnTensor, Map<dnnl_memory, Reorder>> imports = new IdentityHashMap<>();

    OneDnnArena(dnnl_engine engine, dnnl_stream stream) {
        this.engine = engine;
        this.stream = stream;
    }

    static void check(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException("oneDNN: " + what + " failed (status " + status + ")");
        }
    }

    /** Runs a primitive on this arena's stream (asynchronously: {@link #waitFor()} before reading its results). */
    void execute(dnnl_primitive p, dnnl_exec_arg_t args, String what) {
        Parallel.rest(); // oneDNN's threads want every core
        check(dnnl_primitive_execute(p, stream, (int) args.capacity(), args), what);
    }

    void waitFor() {
        check(dnnl_stream_wait(stream), "waiting for the stream");
    }

    /** A layout a primitive chose (owned by its descriptor: not freed here). */
    static dnnl_memory_desc query(dnnl_primitive_desc pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    static boolean same(dnnl_memory_desc a, dnnl_memory_desc b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    dnnl_memory_desc md(int tag, long... dims) {
        dnnl_memory_desc m = new dnnl_memory_desc();
        check(dnnl_memory_desc_create_with_tag(m, dims.length, dims, dnnl_f32, tag), "describing a tensor");
        frees.add(() -> dnnl_memory_desc_destroy(m));
        return m;
    }

    /** A copy of {@code md} of this arena's own (another pass's layout outlives that pass's arena here). */
    dnnl_memory_desc copy(dnnl_memory_desc md) {
        dnnl_memory_desc m = new dnnl_memory_desc();
        check(dnnl_memory_desc_clone(m, md), "copying a tensor's description");
        frees.add(() -> dnnl_memory_desc_destroy(m));
        return m;
    }

    /** A primitive descriptor made by {@code create} (a status), freed with the arena. */
    dnnl_primitive_desc describe(java.util.function.ToIntFunction<dnnl_primitive_desc> create, String what) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(create.applyAsInt(pd), what);
        frees.add(() -> dnnl_primitive_desc_destroy(pd));
        return pd;
    }

    dnnl_primitive primitive(dnnl_primitive_desc pd) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "making a primitive");
        frees.add(() -> dnnl_primitive_destroy(p));
        return p;
    }

    FloatPointer floats(long count) {
        FloatPointer p = new FloatPointer(Math.max(1, count));
        p.zero();
        frees.add(p::close);
        return p;
    }

    dnnl_memory memory(dnnl_memory_desc md, Pointer data) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, engine, data), "wrapping a buffer");
        frees.add(() -> dnnl_memory_destroy(m));
        return m;
    }

    /** A memory in layout {@code md} with a buffer of its own. */
    dnnl_memory memory(dnnl_memory_desc md) {
        return memory(md, floats(dnnl_memory_desc_get_size(md) / Float.BYTES));
    }

    /** A memory in layout {@code md}: the plain one itself when the layouts are equal, else a buffer of its own. */
    dnnl_memory like(dnnl_memory_desc md, dnnl_memory_desc plainMd, dnnl_memory plain) {
        return same(md, plainMd) ? plain : memory(md);
    }

    /** A reorder from {@code a} (layout {@code aMd}) to {@code b}, or none when the layouts are equal. */
    Reorder reorder(dnnl_memory_desc aMd, dnnl_memory a, dnnl_memory_desc bMd, dnnl_memory b) {
        if (same(aMd, bMd)) {
            return Reorder.NONE;
        }
        Reorder r = Reorder.make(engine, aMd, a, bMd, b);
        frees.add(r::close);
        return r;
    }

    /** A pass's arguments: pairs of (argument kind, memory). */
    dnnl_exec_arg_t args(Object... pairs) {
        dnnl_exec_arg_t a = new dnnl_exec_arg_t(pairs.length / 2);
        frees.add(a::close);
        for (int i = 0; i < pairs.length / 2; i++) {
            a.position(i).arg((Integer) pairs[2 * i]).memory((dnnl_memory) pairs[2 * i + 1]);
        }
        return a.position(0);
    }

    /**
     * A buffer for a result of this arena's pass in layout {@code md}, as a tensor of {@code count} values, which the next pass
     * of oneDNN reads as it is and anything else as rows in the plain layout {@code plainMd} (copied out on demand).
     */
    OneDnnTensor tensor(dnnl_memory_desc md, dnnl_memory_desc plainMd, long count) {
        FloatPointer data = floats(dnnl_memory_desc_get_size(md) / Float.BYTES);
        return new OneDnnTensor(this, md, memory(md, data), data, plainMd, count);
    }

    /** Reorders {@code t} (another pass's tensor) into {@code to}, in layout {@code toMd}, on this arena's stream. */
    void takeIn(OneDnnTensor t, dnnl_memory_desc toMd, dnnl_memory to) {
        Map<dnnl_memory, Reorder> byTarget = imports.get(t);
        if (byTarget == null) {
            if (imports.size() >= KEPT_IMPORTS) { // tensors of passes no longer before this one
                closeImports();
            }
            byTarget = new IdentityHashMap<>();
            imports.put(t, byTarget);
        }
        Reorder r = byTarget.get(to);
        if (r == null) {
            r = Reorder.make(engine, t.md, t.memory, toMd, to); // equal layouts too: a copy into this pass's own buffer
            byTarget.put(to, r);
        }
        r.run(stream);
    }

    private void closeImports() {
        for (Map<dnnl_memory, Reorder> m : imports.values()) {
            m.values().forEach(Reorder::close);
        }
        imports.clear();
    }

    /** Frees everything made here, the last made first. */
    void free() {
        closeImports();
        for (int i = frees.size() - 1; i >= 0; i--) {
            frees.get(i).run();
        }
        frees.clear();
    }

    /** A reorder between two layouts, or nothing ({@link #NONE}). */
    static final class Reorder {
        static final Reorder NONE = new Reorder(null, null, null);
        private final dnnl_primitive_desc pd;
        private final dnnl_primitive primitive;
        private final dnnl_exec_arg_t args;

        private Reorder(dnnl_primitive_desc pd, dnnl_primitive primitive, dnnl_exec_arg_t args) {
            this.pd = pd;
            this.primitive = primitive;
            this.args = args;
        }

        static Reorder make(dnnl_engine engine, dnnl_memory_desc aMd, dnnl_memory a, dnnl_memory_desc bMd, dnnl_memory b) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(pd, aMd, engine, bMd, engine, null), "describing a reorder");
            dnnl_primitive p = new dnnl_primitive();
            int status = dnnl_primitive_create(p, pd);
            if (status != 0) {
                dnnl_primitive_desc_destroy(pd);
                check(status, "making a reorder");
            }
            dnnl_exec_arg_t args = new dnnl_exec_arg_t(2);
            args.position(0).arg(DNNL_ARG_FROM).memory(a);
            args.position(1).arg(DNNL_ARG_TO).memory(b);
            return new Reorder(pd, p, args.position(0));
        }

        void run(dnnl_stream stream) {
            if (primitive != null) {
                Parallel.rest();
                check(dnnl_primitive_execute(primitive, stream, 2, args), "reorder");
            }
        }

        void close() {
            if (primitive != null) {
                dnnl_primitive_destroy(primitive);
                dnnl_primitive_desc_destroy(pd);
                args.close();
            }
        }
    }
}
