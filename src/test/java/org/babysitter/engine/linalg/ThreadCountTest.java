package org.babysitter.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.Trainer;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same products and the same training run give the same bits whether the products run on 1, 2 or 3 threads
 * ({@code babysitter.gemm.threads}), for every BLAS backend available here, at the net's real shapes.
 */
class ThreadCountTest {
    private static final int[] THREADS = {1, 2, 3};

    /** The backend by name, or the test is skipped where it is not available (no OpenBLAS installed). */
    private static Gemm backend(String name, int threads) {
        assumeTrue(Gemms.available().contains(name), name + " is not available here");
        return Gemms.byName(name, threads);
    }

    /** One product as training calls it: c = op(a) op(b) (+ c), with operands and output of the kinds it uses. */
    private record Product(String what, boolean transA, boolean transB, int aRows, int aCols, int bRows, int bCols,
                           boolean floatA, boolean floatB, boolean withBias, boolean floatFirstOut) {
        int m() {
            return transA ? aCols : aRows;
        }

        int n() {
            return transB ? bRows : bCols;
        }

        /** c's values (its float copy's, for a float-first output) computed by {@code gemm}; operands from {@code seed}. */
        double[] compute(Gemm gemm, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            boolean floats = gemm.readsFloatCopies();
            // input batches and weights keep their values in float copies under a float backend, as the preprocessor
            // and the net make them; activations and output gradients are ordinary matrices
            DMatrixRMaj a = operand(aRows, aCols, floats && floatA, r);
            DMatrixRMaj b = operand(bRows, bCols, floats && floatB, r);
            DMatrixRMaj c = floatFirstOut ? MirroredMatrix.of(m(), n(), floats) : new DMatrixRMaj(m(), n());
            if (withBias) {
                double[] bias = new double[n()];
                for (int j = 0; j < bias.length; j++) {
                    bias[j] = r.nextGaussian() * 1e-2;
                }
                for (int i = 0; i < m(); i++) {
                    System.arraycopy(bias, 0, c.data, i * n(), n());
                }
            }
            gemm.gemm(transA, transB, 1, a, b, withBias ? 1 : 0, c);
            MirroredMatrix.ensureData(c);
            return c.data.clone();
        }

        /** A float-first matrix with its values in its float copy only, or an ordinary one; gaussian values. */
        private static DMatrixRMaj operand(int rows, int cols, boolean floatFirst, SplittableRandom r) {
            if (!floatFirst) {
                DMatrixRMaj m = new DMatrixRMaj(rows, cols);
                for (int i = 0; i < m.data.length; i++) {
                    m.data[i] = (float) r.nextGaussian();
                }
                return m;
            }
            MirroredMatrix m = MirroredMatrix.of(rows, cols, true);
            float[] f = m.mirror();
            for (int i = 0; i < rows * cols; i++) {
                f[i] = (float) r.nextGaussian();
            }
            m.markFloatOnly();
            return m;
        }

        @Override
        public String toString() {
            return what + " " + m() + "x" + n() + " k=" + (transA ? aRows : aCols);
        }
    }

    /** The products of training and evaluation of nets 3072-H-10 and 3072-500-500-10, batches of 100 and 200. */
    private static List<Product> realProducts() {
        List<Product> out = new ArrayList<>();
        for (int batch : new int[] {100, 200}) {
            for (int h : new int[] {50, 500}) {
                out.add(new Product("first layer forward", false, false, batch, 3072, 3072, h, true, true, true, false));
                out.add(new Product("first layer weight gradient", true, false, batch, 3072, batch, h, true, false, false, true));
                out.add(new Product("second layer forward", false, false, batch, h, h, 10, false, true, true, false));
                out.add(new Product("second layer weight gradient", true, false, batch, h, batch, 10, false, false, false, true));
                out.add(new Product("second layer input gradient", false, true, batch, 10, h, 10, false, true, false, false));
            }
            out.add(new Product("hidden layer forward", false, false, batch, 500, 500, 500, false, true, true, false));
            out.add(new Product("hidden layer weight gradient", true, false, batch, 500, batch, 500, false, false, false, true));
            out.add(new Product("hidden layer input gradient", false, true, batch, 500, 500, 500, false, true, false, false));
        }
        for (int h : new int[] {50, 500}) {
            out.add(new Product("evaluation chunk forward", false, false, 500, 3072, 3072, h, true, true, true, false));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"openblas-f32", "openblas", "java-blas-f32", "java-blas"})
    void productsGiveTheSameBitsOnOneTwoOrThreeThreads(String name) {
        List<Product> products = realProducts();
        List<double[]> one = new ArrayList<>();
        Gemm single = backend(name, 1);
        for (int i = 0; i < products.size(); i++) {
            one.add(products.get(i).compute(single, 100 + i));
        }
        for (int t : THREADS) {
            Gemm gemm = backend(name, t);
            for (int i = 0; i < products.size(); i++) {
                // twice: a product's bits do not depend on what ran before it either
                for (int repeat = 0; repeat < 2; repeat++) {
                    assertArrayEquals(one.get(i), products.get(i).compute(gemm, 100 + i),
                            name + ", " + products.get(i) + ": " + t + " threads against 1");
                }
            }
        }
    }

    static PreparedData data;

    @BeforeAll
    static void load() {
        data = PreparedData.prepare(BuiltInData.generate(1200, 100, 5), new SplitSpec(200, 0, 0), Preprocessing.MEAN_IMAGE);
    }

    /** Everything a run reports that carries its numbers. */
    private static final class Numbers implements TrainingListener {
        final List<Double> losses = new ArrayList<>();
        final List<Double> epochs = new ArrayList<>();

        @Override
        public void onIteration(IterationMetrics m) {
            losses.add(m.loss());
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            epochs.add(m.loss());
            epochs.add(m.trainAccuracy());
            epochs.add(m.valAccuracy());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openblas-f32", "openblas", "java-blas-f32", "java-blas"})
    void aTrainingRunGivesTheSameLossesOnOneTwoOrThreeThreads(String name) {
        // the lecture's net (its first layer's forward product is split along k in single precision) and a deeper one
        // whose hidden layers' products are split by rows; one epoch of 10 iterations, batches of 100
        for (NetConfig net : List.of(NetConfig.lecture(), NetConfig.lecture().withHidden(List.of(500, 100)))) {
            TrainConfig config = new TrainConfig(UpdateRuleKind.MOMENTUM, 1e-3, 0.9, 0.95, 1e-3, 100, 1, org.babysitter.engine.train.Batching.SHUFFLED, 11, 200);
            Numbers first = null;
            double[][] firstParams = null;
            for (int t : THREADS) {
                Trainer trainer = Trainer.create(net, data.dataset(), data.preprocessor(), config, backend(name, t));
                Numbers numbers = new Numbers();
                trainer.addListener(numbers);
                trainer.run();
                double[][] params = trainer.net().params().stream().map(p -> p.value().data.clone()).toArray(double[][]::new);
                assertEquals(10, numbers.losses.size());
                if (first == null) {
                    first = numbers;
                    firstParams = params;
                    continue;
                }
                String where = name + ", " + net.hiddenSizes() + ": " + t + " threads against 1";
                assertEquals(first.losses, numbers.losses, where + ", losses");
                assertEquals(first.epochs, numbers.epochs, where + ", epoch loss and accuracies");
                for (int i = 0; i < params.length; i++) {
                    assertArrayEquals(firstParams[i], params[i], where + ", parameter " + i);
                }
            }
        }
    }
}
