package org.babysitter.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.linalg.OneDnn;
import org.babysitter.engine.linalg.OneDnnTensor;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A single-precision conv net's activations left in oneDNN's memory between convolution, ReLU and pooling: the same
 * outputs and gradients as when every layer's output is copied out into Java rows and the next layer reads those
 * (ReLU and pooling then run the engine's own loops). Skipped where the bundled oneDNN does not load.
 */
class OneDnnChainTest {
    private static Gemm single;

    @BeforeAll
    static void oneDnnLoads() {
        assumeTrue(OneDnn.load().loaded(), () -> "oneDNN did not load: " + OneDnn.load().problem());
        single = Gemms.byName("java-blas-f32");
    }

    /** ConvNetJS's first two stages on a small image: conv, ReLU, pool, conv, ReLU, pool. */
    private static List<Layer> stages(SplittableRandom r) {
        Volume in = new Volume(3, 12, 12);
        Conv c1 = new Conv(Param.zeros("W1", 3 * 25, 16, true, true), Param.zeros("b1", 1, 16, false, true), in, 5, 1, 2,
                single, true);
        Volume v1 = c1.output();
        MaxPool p1 = new MaxPool(v1, 2, 2, 2);
        Conv c2 = new Conv(Param.zeros("W2", 16 * 9, 20, true, true), Param.zeros("b2", 1, 20, false, true), p1.output(), 3,
                1, 1, single, true);
        MaxPool p2 = new MaxPool(c2.output(), 2, 2, 2);
        for (Conv c : List.of(c1, c2)) {
            for (Param p : c.params()) {
                double[] v = p.value().data;
                for (int i = 0; i < v.length; i++) {
                    v[i] = (r.nextDouble() * 2 - 1) * 0.3;
                }
                MirroredMatrix.invalidate(p.value());
            }
        }
        return List.of(c1, new Elementwise.Relu(2), p1, c2, new Elementwise.Relu(2), p2);
    }

    /** A copy of {@code m}'s values as Java float rows: what the next layer reads when nothing is left native. */
    private static DMatrixRMaj rows(DMatrixRMaj m) {
        MirroredMatrix.ensureData(m);
        MirroredMatrix copy = MirroredMatrix.of(m.numRows, m.numCols, true);
        copy.reshape(m.numRows, m.numCols, false);
        MirroredMatrix.toFloat(m.data, copy.mirror(), m.getNumElements());
        copy.markFloatOnly();
        return copy;
    }

    private static double[] values(DMatrixRMaj m) {
        MirroredMatrix.ensureData(m);
        return m.data.clone();
    }

    /** Outputs of every layer, then dx of every layer (last first), then the convs' dW; native hand-over or rows. */
    private static List<double[]> run(List<Layer> layers, DMatrixRMaj x, DMatrixRMaj dout, boolean handOver,
                                      List<Boolean> nativeOutputs) {
        List<double[]> seen = new ArrayList<>();
        Layer.Cache[] caches = new Layer.Cache[layers.size()];
        DMatrixRMaj h = x;
        for (int i = 0; i < layers.size(); i++) {
            caches[i] = layers.get(i).newCache();
            h = layers.get(i).forward(h, Mode.TRAIN, caches[i]);
            nativeOutputs.add(MirroredMatrix.nativeOf(h) instanceof OneDnnTensor);
            seen.add(values(h));
            if (!handOver) {
                h = rows(h);
            }
        }
        DMatrixRMaj d = dout;
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backward(d, caches[i]);
            seen.add(values(d));
            if (!handOver) {
                d = rows(d);
            }
        }
        for (Layer l : layers) {
            if (l instanceof Conv c) {
                seen.add(values(c.weights().grad()));
            }
        }
        return seen;
    }

    @Test
    void handingActivationsOverInNativeMemoryGivesTheSameValuesAndGradients() {
        SplittableRandom r = new SplittableRandom(3);
        List<Layer> layers = stages(r);
        DMatrixRMaj x = new DMatrixRMaj(6, 3 * 12 * 12);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = r.nextDouble() * 2 - 1;
        }
        Layer last = layers.get(layers.size() - 1);
        DMatrixRMaj dout = new DMatrixRMaj(6, ((MaxPool) last).output().size()); // in double, as an affine layer gives it
        for (int i = 0; i < dout.data.length; i++) {
            dout.data[i] = r.nextDouble() * 2 - 1;
        }
        List<Boolean> handedOver = new ArrayList<>();
        List<double[]> direct = run(layers, x, dout, true, handedOver);
        List<Boolean> copied = new ArrayList<>();
        List<double[]> viaRows = run(layers, x, dout, false, copied);
        assertTrue(handedOver.stream().allMatch(b -> b), "every output left in oneDNN's memory: " + handedOver);
        String[] names = {"conv 1", "relu 1", "pool 1", "conv 2", "relu 2", "pool 2", "pool 2 dx", "relu 2 dx", "conv 2 dx",
            "pool 1 dx", "relu 1 dx", "conv 1 dx", "dW1", "dW2"};
        for (int k = 0; k < direct.size(); k++) {
            if (names[k].equals("pool 2 dx") || names[k].equals("pool 1 dx")) {
                continue; // which of equal inputs (ReLU's zeros) takes a window's gradient may differ; ReLU's dx masks it
            }
            double[] a = viaRows.get(k);
            double scale = 0;
            for (double v : a) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0, names[k] + " is all zeros");
            assertArrayEquals(a, direct.get(k), 1e-6 * scale, names[k]);
        }
    }

    @Test
    void reluAndPoolingOfRowsStayInJava() {
        SplittableRandom r = new SplittableRandom(4);
        List<Layer> layers = stages(r);
        DMatrixRMaj x = MirroredMatrix.of(2, 16 * 12 * 12, true);
        x.reshape(2, 16 * 12 * 12, false);
        float[] f = ((MirroredMatrix) x).mirror();
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        ((MirroredMatrix) x).markFloatOnly();
        Layer relu = layers.get(1);
        DMatrixRMaj y = relu.forward(x, Mode.TRAIN, relu.newCache());
        assertNull(MirroredMatrix.nativeOf(y), "a Java input: ReLU's own loop, its output in Java");
        Layer pool = layers.get(2);
        assertNull(MirroredMatrix.nativeOf(pool.forward(y, Mode.TRAIN, pool.newCache())));
        Layer conv = layers.get(0);
        DMatrixRMaj image = new DMatrixRMaj(2, 3 * 12 * 12);
        assertInstanceOf(OneDnnTensor.class, MirroredMatrix.nativeOf(conv.forward(image, Mode.TRAIN, conv.newCache())));
    }
}
