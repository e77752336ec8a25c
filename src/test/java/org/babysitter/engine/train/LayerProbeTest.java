package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layer statistics: their values on a known output, and a sampled run that is the same run as an unsampled one. */
class LayerProbeTest {
    @BeforeAll
    static void load() {
        TrainerTest.load();
    }

    @Test
    void anOutputsMeanStdDeadUnitsAndSaturatedValues() {
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0, 1, -1}, {0, 2, 0.5}});
        LayerStatistics.Output o = LayerProbe.output("2 tanh", y, new double[] {-1, 1});
        assertEquals(3, o.units());
        assertEquals(2.5 / 6, o.mean(), 1e-15);
        double m = 2.5 / 6;
        double var = (m * m * 2 + (1 - m) * (1 - m) + (-1 - m) * (-1 - m) + (2 - m) * (2 - m) + (0.5 - m) * (0.5 - m)) / 6;
        assertEquals(Math.sqrt(var), o.std(), 1e-15);
        assertEquals(1.0 / 3, o.dead(), 1e-15); // the first unit is 0 on both rows
        assertEquals(3.0 / 6, o.saturated(), 1e-15); // 1, -1 and 2 are within 1% of the span of the bounds
        assertEquals(0, LayerProbe.output("2 relu", y, null).saturated());
    }

    @Test
    void aConvLayersDeadUnitsAreThoseOfFiltersZeroEverywhere() {
        // 2 examples of 3 channels of 2x2: channel 0 is 0 at one position only (alive), channel 1 is 0 everywhere (dead)
        var v = new org.babysitter.engine.model.Volume(3, 2, 2);
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {
                {0, 1, 2, 3, 0, 0, 0, 0, 5, 6, 7, 8},
                {0, 4, 2, 1, 0, 0, 0, 0, 1, 0, 1, 1}});
        LayerStatistics.Output conv = LayerProbe.output("2 relu", y, null, v);
        assertEquals(12, conv.units());
        assertEquals(4.0 / 12, conv.dead(), 1e-15, "the 4 units of the dead filter");
        // read unit by unit, the edge position of channel 0 and one of channel 2 would count too
        assertEquals(5.0 / 12, LayerProbe.output("2 relu", y, null).dead(), 1e-15);
    }

    @Test
    void aSampledRunIsTheSameRunAndEverySampleNamesTheInputAndEveryHiddenLayer() {
        Gemm gemm = Gemms.best(); // with a float backend the probe reads float copies: it must not disturb them
        NetConfig net = NetConfig.lecture().withHidden(List.of(20, 10)).withInit(WeightInit.he());
        TrainConfig config = TrainerTest.CONFIG.withEpochs(1);
        List<Double> plain = losses(Trainer.create(net, TrainerTest.data.dataset(), TrainerTest.data.preprocessor(), config, gemm), 0,
                new ArrayList<>());
        List<LayerStatistics> samples = new ArrayList<>();
        List<Double> sampled = losses(Trainer.create(net, TrainerTest.data.dataset(), TrainerTest.data.preprocessor(), config, gemm),
                3, samples);
        assertEquals(plain, sampled);
        assertEquals(1 + plain.size() / 3, samples.size()); // the first iteration, then every third
        assertEquals(1, samples.get(0).iteration());
        assertEquals(3, samples.get(1).iteration());
        LayerStatistics s = samples.get(0);
        assertEquals(List.of("0 input", "1 affine 3072 -> 20", "2 relu", "3 affine 20 -> 10", "4 relu"),
                s.layers().stream().map(LayerStatistics.Output::name).toList());
        assertEquals(List.of("W1", "W2", "W3"), s.weights().stream().map(LayerStatistics.Gradient::name).toList());
        assertTrue(Math.abs(s.layers().get(0).mean()) < 0.2 * s.layers().get(0).std(), "mean-subtracted input");
        for (LayerStatistics.Gradient g : s.weights()) {
            assertTrue(g.meanAbsGradient() > 0 && g.meanAbsValue() > 0, g.toString());
        }
    }

    @Test
    void aSampleHasHistogramsOfOutputsGradientsAndTheStepsUpdateAndLabelsBatchNormsInputAndOutput() {
        NetConfig net = NetConfig.lecture().withHidden(List.of(20)).withInit(WeightInit.he()).withBatchNorm(true);
        List<LayerStatistics> samples = new ArrayList<>();
        losses(Trainer.create(net, TrainerTest.data.dataset(), TrainerTest.data.preprocessor(), TrainerTest.CONFIG.withEpochs(1),
                Gemms.best()), 5, samples);
        LayerStatistics s = samples.get(1);
        assertEquals(List.of("0 input", "1 affine 3072 -> 20 (before batch norm)", "2 batch norm 20 (after batch norm)", "3 relu"),
                java.util.stream.IntStream.range(0, s.layers().size()).mapToObj(s::label).toList());
        assertEquals(3, s.hidden().size());
        for (LayerStatistics.Output o : s.hidden()) {
            assertEquals((long) o.units() * TrainerTest.CONFIG.batchSize(), o.values().total(), o.name());
        }
        assertEquals(0, s.layers().get(0).values().total(), "the input: mean and std only");
        LayerStatistics.Output bn = s.layers().get(2);
        assertEquals(0, bn.mean(), 1e-2); // gamma ~1, beta ~0 after 5 steps: normalised
        assertEquals(1, bn.std(), 0.05);
        for (LayerStatistics.Gradient g : s.weights()) {
            int size = g.name().equals("W1") ? 3072 * 20 : 20 * 10;
            // W1 (61,440 entries) binned every second entry, W2 whole
            int stride = (size + LayerProbe.HISTOGRAM_ENTRIES - 1) / LayerProbe.HISTOGRAM_ENTRIES;
            long binned = (size + stride - 1) / stride;
            assertEquals(g.name().equals("W1") ? 30720 : size, binned, g.name());
            assertEquals(binned, g.gradient().total(), g.name());
            assertEquals(binned, g.update().total(), g.name());
            assertTrue(g.update().low() < 0 && g.update().high() > 0, g.update().toString()); // the step moved W both ways
            assertTrue(g.updateRatio() > 1e-5 && g.updateRatio() < 1, g.toString());
        }
    }

    @Test
    void theTrainerCountsTheTimeItsSamplesTake() {
        NetConfig net = NetConfig.lecture().withHidden(List.of(20));
        Trainer plain = Trainer.create(net, TrainerTest.data.dataset(), TrainerTest.data.preprocessor(), TrainerTest.CONFIG.withEpochs(1),
                Gemms.best());
        losses(plain, 0, new ArrayList<>());
        assertEquals(0, plain.statisticsNanos());
        Trainer sampled = Trainer.create(net, TrainerTest.data.dataset(), TrainerTest.data.preprocessor(),
                TrainerTest.CONFIG.withEpochs(1), Gemms.best());
        losses(sampled, 2, new ArrayList<>());
        assertTrue(sampled.statisticsNanos() > 0);
    }

    private static List<Double> losses(Trainer t, int every, List<LayerStatistics> samples) {
        List<Double> losses = new ArrayList<>();
        t.sampleLayerStatistics(every);
        t.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                losses.add(m.loss());
            }

            @Override
            public void onLayerStatistics(LayerStatistics s) {
                samples.add(s);
            }
        });
        t.run();
        return losses;
    }
}
