package org.babysitter.cli;

import java.util.Locale;

import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.train.Evaluator;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.optim.UpdateRuleKind;

/**
 * What a training run will need in memory besides its images, estimated before anything is allocated, so that an
 * impossible size ({@code --hidden 100000}) is refused with the reason instead of failing with an
 * {@link OutOfMemoryError} minutes later. The estimate counts only what the engine certainly allocates:
 * <ul>
 * <li>per parameter: its value and gradient (doubles), the best epoch's copy, the update rule's state (one array
 * for momentum, nesterov and rmsprop, two for adam and adamw), and, under a backend that multiplies in float, the
 * float copies of value and gradient (and the rule's state is float there);</li>
 * <li>the step's buffers: per image of a batch (at most 1,000 images are passed at once) the input row and, per
 * hidden unit, the affine output, the activation's output and both backward buffers (three more with batch norm,
 * three more with dropout);</li>
 * <li>the evaluator's buffers: up to {@value Evaluator#CHUNK} images at a time (fewer for a conv net) on each of up to 4 threads.</li>
 * </ul>
 * What it counts was 3/4 to 5/6 of the heap runs needed beside their images when measured on the real CIFAR-10
 * (-Xmx in steps of 10-40 MB, openblas-f32): H=500 trained in 310 MB and not in 300 (the images take 182-185 MB, the
 * count says 101 MB), H=2000 on 3,000 images in 560 MB and not in 520 (count 288 MB); {@link #total()} is the count
 * times 6/5, which refuses both failing sizes and lets both working ones run. A run it
 * lets through can still run out (the JVM's own needs, other commands' garbage): the command then still catches the
 * {@link OutOfMemoryError} and says the same things.
 *
 * @param parameters  bytes for parameters, gradients, the best copy and the rule's state
 * @param buffers     bytes for the step's and the evaluator's buffers
 */
record MemoryBudget(long parameters, long buffers) {
    /** Rows per forward/backward pass: a larger (full) batch is passed in chunks of this many (Trainer's chunk). */
    static final int MAX_ROWS = 1000;
    private static final int EVAL_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    static MemoryBudget of(NetConfig net, TrainConfig train, int rows, boolean floatCopies) {
        long p = net.parameterCount();
        int stateArrays = stateArrays(train.updateRule());
        long perParam = 8 + 8 + 8 + (long) stateArrays * (floatCopies ? 4 : 8) + (floatCopies ? 8 : 0);
        if (rows > MAX_ROWS) {
            perParam += 8; // a full batch in chunks sums every chunk's gradient in an array of its own
        }
        long hidden = 0;
        for (int h : net.hiddenSizes()) {
            hidden += h;
        }
        long perHiddenTrain = 8L * (4 + (net.batchNorm() ? 3 : 0) + (net.dropout() > 0 ? 3 : 0)) + (floatCopies ? 4 : 0);
        long inputRow = (long) net.inputSize() * (8 + (floatCopies ? 4 : 0));
        long outputRow = 8L * 4 * net.classes();
        long trainRows = Math.min(rows, MAX_ROWS);
        // conv stages per example: the im2col columns (in float only with float copies), outputs, activations,
        // pooling and their gradients
        long convTrain = 0;
        long convEval = 0;
        if (!net.conv().isEmpty()) {
            org.babysitter.engine.model.Volume v = NetConfig.imageVolume(net.inputSize());
            for (org.babysitter.engine.model.ConvStage stage : net.conv()) {
                long k = (long) v.channels() * stage.kernel() * stage.kernel();
                org.babysitter.engine.model.Volume out = new org.babysitter.engine.model.ConvStage(stage.filters(), stage.kernel(),
                        stage.stride(), stage.pad(), 0).output(v);
                long positions = out.area();
                long columns = (floatCopies ? 4L : 8L) * positions * k;
                convTrain += columns + 8L * 7 * positions * stage.filters();
                convEval += columns + 8L * 3 * positions * stage.filters();
                v = stage.output(v);
            }
        }
        long step = trainRows * (inputRow + convTrain + hidden * perHiddenTrain + outputRow);
        long evalRow = inputRow + convEval + hidden * 8L * 2 + outputRow;
        long eval = (long) EVAL_THREADS * Evaluator.chunkFor(evalRow / 8) * evalRow;
        return new MemoryBudget(p * perParam, step + eval);
    }

    /** Per-entry state arrays of each rule (UpdateRule.slots(), which is not public). */
    static int stateArrays(UpdateRuleKind rule) {
        return switch (rule) {
            case SGD -> 0;
            case MOMENTUM, NESTEROV, RMSPROP -> 1;
            case ADAM, ADAMW -> 2;
        };
    }

    /** The bytes to plan for: what is counted, times 6/5 (see the class comment). */
    long total() {
        return (parameters + buffers) / 5 * 6;
    }

    /**
     * Refuses a run that cannot fit the JVM's heap, before the images are read: {@code max} is what the heap may
     * grow to ({@link Runtime#maxMemory()}).
     */
    static void checkBeforeData(NetConfig net, TrainConfig train, MemoryBudget b, long max) {
        if (b.total() > max) {
            throw new IllegalArgumentException("a " + net.describe().split(" ")[0] + " net (" + String.format(Locale.ROOT, "%,d",
                    net.parameterCount()) + " parameters) needs about " + bytes(b.total()) + " to train with "
                    + train.updateRule().label() + " (" + bytes(b.parameters()) + " of it for its values, gradients, the best"
                    + " epoch's copy and the rule's state), more than the " + bytes(max)
                    + " this JVM may use: use fewer hidden units (--hidden), or give java more memory (java -Xmx"
                    + suggestedHeap(b.total()) + " -jar ...)");
        }
    }

    /** Refuses a run whose needs do not fit beside the images already loaded ({@code used} bytes of {@code max}). */
    static void checkWithData(NetConfig net, MemoryBudget b, long used, long max) {
        if (b.total() > max - used) {
            throw new IllegalArgumentException("training the " + net.describe().split(" ")[0] + " net needs about "
                    + bytes(b.total()) + " beside the " + bytes(used) + " the images take, and this JVM may use "
                    + bytes(max) + ": give java more memory (java -Xmx" + suggestedHeap(used + b.total())
                    + " -jar ...), or use fewer hidden units (--hidden), a smaller --batch-size or a --subset");
        }
    }

    /**
     * The message for an OutOfMemoryError that happened anyway, while doing {@code what}; {@code images} says that
     * it was the images that did not fit (nothing about the net can help then).
     */
    static String outOfMemory(String what, long max, boolean images) {
        return "out of memory while " + what + " (this JVM may use " + bytes(max) + "): give java more memory (java -Xmx"
                + suggestedHeap(2 * max) + " -jar ...)" + (images
                ? "; the images take 3,073 bytes each, 184 MB for all of CIFAR-10"
                : ", or use fewer hidden units (--hidden), a smaller --batch-size or a --subset");
    }

    /** A heap size for {@code -Xmx} with room to spare: 1.5 times the need, rounded up to a whole GB or 100 MB. */
    static String suggestedHeap(long need) {
        double mb = need * 1.5 / (1 << 20);
        if (mb >= 1024) {
            return (long) Math.ceil(mb / 1024) + "g";
        }
        return (long) (Math.ceil(mb / 100) * 100) + "m";
    }

    /** "12.3 GB", "117 MB". */
    static String bytes(long b) {
        double mb = b / (double) (1 << 20);
        if (mb >= 1024) {
            return String.format(Locale.ROOT, "%.1f GB", mb / 1024);
        }
        return String.format(Locale.ROOT, "%.0f MB", Math.max(1, mb));
    }
}
