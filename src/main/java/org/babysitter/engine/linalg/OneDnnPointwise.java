package org.babysitter.engine.linalg;

import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;

/**
 * The arena of a pass that reads another oneDNN pass's result in that pass's layout (ReLU, max pooling): the input's
 * layout and plain layout (copies of its own), and dout, taken as it comes (another pass's tensor, in this pass's
 * layout or reordered into it; or rows in the plain layout, copied in and reordered). A kind of pass sets the two
 * primitives, their arguments (the input first for forward, dout first for backward) and results in its constructor.
 */
abstract class OneDnnPointwise extends OneDnnArena {
    /** The input's layout, its plain layout (rows of {@code C*H*W}), and how many values it holds. */
    final dnnl_memory_desc md;
    final dnnl_memory_desc plainMd;
    final long count;
    dnnl_primitive forward;
    dnnl_exec_arg_t forwardArgs;
    OneDnnTensor out;
    dnnl_primitive backward;
    dnnl_exec_arg_t backwardArgs;
    OneDnnTensor dx;
    private dnnl_memory_desc doutMd;
    private dnnl_memory dout;
    private FloatPointer doutPlain;
    private Reorder fromPlain;

    OneDnnPointwise(OneDnnBatches<?> natives, OneDnnTensor x) {
        super(natives.engine, natives.stream);
        this.md = copy(x.md);
        this.plainMd = copy(x.plainMd);
        this.count = x.count();
    }

    /** dout's memory in the layout {@code layout} the backward pass reads (its plain layout {@code plain}); once. */
    dnnl_memory doutMemory(dnnl_memory_desc layout, dnnl_memory_desc plain) {
        doutMd = layout;
        doutPlain = floats(dnnl_memory_desc_get_size(plain) / Float.BYTES);
        dnnl_memory plainMemory = memory(plain, doutPlain);
        dout = like(layout, plain, plainMemory);
        fromPlain = reorder(plain, plainMemory, layout, dout);
        return dout;
    }

    /**
     * dout for the backward pass, from rows {@code rows} or a tensor {@code t}: the tensor's own memory when it is in the
     * layout wanted, else this arena's, written here.
     */
    dnnl_memory dout(float[] rows, OneDnnTensor t) {
        if (t != null) {
            if (same(t.md, doutMd)) {
                return t.memory;
            }
            takeIn(t, doutMd, dout);
            return dout;
        }
        doutPlain.put(rows, 0, (int) doutPlain.capacity());
        fromPlain.run(stream);
        return dout;
    }
}
