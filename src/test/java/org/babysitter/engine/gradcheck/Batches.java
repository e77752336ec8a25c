package org.babysitter.engine.gradcheck;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.model.Layer;
import org.babysitter.engine.model.Mode;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.Param;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.ejml.data.DMatrixRMaj;

/** What the gradient-check tests check on: the lecture's batch of 5 images, random batches, and layers with planted bugs. */
final class Batches {
    /** The first 5 training images of the built-in set, mean image subtracted: 3072 features with pixel-sized values. */
    static final DMatrixRMaj IMAGES;
    static final int[] LABELS;

    static {
        PreparedData data = PreparedData.prepare(BuiltInData.generate(300, 0, BuiltInData.DEFAULT_SEED), SplitSpec.LECTURE,
                Preprocessing.MEAN_IMAGE);
        ImageSet train = data.dataset().train().head(5);
        IMAGES = new DMatrixRMaj(1, 1);
        data.preprocessor().rows(train, 0, train.size(), IMAGES);
        LABELS = new int[train.size()];
        for (int i = 0; i < LABELS.length; i++) {
            LABELS[i] = train.label(i);
        }
    }

    private Batches() {
    }

    static DMatrixRMaj random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = r.nextGaussian();
        }
        return m;
    }

    /** A layer that does what {@code layer} does, then {@code bug} to its cache's result of backward. */
    static Layer planted(Layer layer, String what, BackwardBug bug) {
        return new Layer() {
            @Override
            public Layer.Cache newCache() {
                return layer.newCache();
            }

            @Override
            public DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache cache) {
                return layer.forward(x, mode, cache);
            }

            @Override
            public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache cache) {
                DMatrixRMaj dx = layer.backward(dout, cache);
                bug.apply(dx, layer.params(), dout.numRows);
                return dx;
            }

            @Override
            public List<Param> params() {
                return layer.params();
            }

            @Override
            public List<Layer.Buffer> buffers() {
                return layer.buffers();
            }

            @Override
            public BitSet kinkSides(Layer.Cache cache) {
                return layer.kinkSides(cache);
            }

            @Override
            public String describe() {
                return layer.describe() + " (" + what + ")";
            }
        };
    }

    /** Changes what a backward pass computed: dx (null for the first layer) and the params' gradients. */
    @FunctionalInterface
    interface BackwardBug {
        void apply(DMatrixRMaj dx, List<Param> params, int batch);
    }

    /** The same layers (and weights) as {@code net}, layer {@code index} replaced by {@code replace.apply(it)}. */
    static Net replacing(Net net, int index, java.util.function.UnaryOperator<Layer> replace, int[] widths) {
        Net.Builder b = Net.builder(net.inputs(), net.gemm(), 0);
        for (int i = 0; i < net.layers().size(); i++) {
            Layer l = net.layers().get(i);
            b.add(i == index ? replace.apply(l) : l, widths[i]);
        }
        return b.build(org.babysitter.engine.model.loss.LossKind.SOFTMAX, net.describe() + ", planted bug");
    }

    /** An objective whose analytic gradient is {@code inner}'s, changed by {@code bug} after every computation. */
    static Objective afterGradients(Objective inner, Consumer<List<Param>> bug) {
        return new Objective() {
            @Override
            public List<Param> params() {
                return inner.params();
            }

            @Override
            public double lossAndGradients() {
                double loss = inner.lossAndGradients();
                bug.accept(inner.params());
                return loss;
            }

            @Override
            public double loss() {
                return inner.loss();
            }

            @Override
            public List<BitSet> kinkSides() {
                return inner.kinkSides();
            }

            @Override
            public void begin() {
                inner.begin();
            }

            @Override
            public void end() {
                inner.end();
            }
        };
    }
}
