package org.babysitter.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranges, their parsing and sampling, grids, the spec's validation and JSON round trip. */
class SearchSpecTest {
    static final DataIdentity DATA = new DataIdentity("test", "sha256:" + "0".repeat(64));

    @TempDir
    Path tmp;

    @Test
    void parsesLogUniformChoiceAndFixedInEitherOrder() {
        assertEquals(Dimension.log(1e-6, 1e-3), Dimension.parse("1e-3:1e-6:log"));
        assertEquals(Dimension.uniform(0.5, 0.99), Dimension.parse("0.5:0.99:uniform"));
        assertEquals(Dimension.choice(List.of(50.0, 100.0, 200.0)), Dimension.parse("50,100,200"));
        assertEquals(Dimension.fixed(0.9), Dimension.parse("0.9"));
        assertEquals(Dimension.log(1e-6, 1e-3), Dimension.parse(Dimension.log(1e-6, 1e-3).describe()));
    }

    @Test
    void refusesBadRangesSayingWhatToWrite() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dimension.parse("1e-3:1e-6:cubic")).getMessage()
                .contains("log or uniform"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dimension.parse("abc")).getMessage()
                .contains("LOW:HIGH:log"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dimension.parse("0:1:log")).getMessage()
                .contains("low > 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dimension.parse("1:1:uniform")).getMessage()
                .contains("low < high"));
        // the configs' own validation, with the hyperparameter named
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec(Map.of(Hyper.MOMENTUM,
                Dimension.uniform(0.5, 1.5))));
        assertTrue(e.getMessage().startsWith("momentum 0.5:1.5:uniform: momentum must be in [0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> spec(Map.of(Hyper.HIDDEN, Dimension.choice(List.of(50.0, 0.0)))));
        assertTrue(e.getMessage().startsWith("hidden 50,0: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SearchSpec.lectureCoarse(0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SearchSpec.lectureCoarse(3, 0, 0, 1));
    }

    @Test
    void logUniformSamplesAreUniformInLog10ByAChiSquareBound() {
        Dimension d = Dimension.log(1e-5, 1e5);
        SplittableRandom rng = new SplittableRandom(7);
        int bins = 10;
        int n = 10_000;
        int[] counts = new int[bins];
        for (int i = 0; i < n; i++) {
            double v = d.sample(rng);
            assertTrue(v >= 1e-5 && v <= 1e5, "in range: " + v);
            counts[Math.min((int) ((Math.log10(v) + 5) / 10 * bins), bins - 1)]++;
        }
        double expected = (double) n / bins;
        double chi2 = Arrays.stream(counts).mapToDouble(c -> (c - expected) * (c - expected) / expected).sum();
        // 9 degrees of freedom: P(chi2 > 27.88) = 0.001
        assertTrue(chi2 < 27.88, "chi2 " + chi2 + " counts " + Arrays.toString(counts));
        // and a plain uniform over the same range would put almost everything in the top decade
        assertTrue(counts[bins - 1] < 2 * expected);
    }

    @Test
    void choicesComeEquallyOften() {
        Dimension d = Dimension.choice(List.of(50.0, 100.0, 200.0));
        SplittableRandom rng = new SplittableRandom(3);
        Map<Double, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < 9000; i++) {
            counts.merge(d.sample(rng), 1, Integer::sum);
        }
        assertEquals(3, counts.size());
        counts.values().forEach(c -> assertTrue(Math.abs(c - 3000) < 200, counts.toString()));
    }

    @Test
    void theSameSeedDrawsTheSameTrialsAndAnotherSeedOthers() {
        SearchSpec s = SearchSpec.lectureCoarse(20, 1, 0, 5);
        List<Trial> a = s.trials(3072, 10, DATA);
        assertEquals(a, s.trials(3072, 10, DATA));
        assertNotEquals(a, s.withSeed(6).trials(3072, 10, DATA));
        assertEquals(20, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(i, a.get(i).index());
            assertEquals(5 + i, a.get(i).train().seed(), "trial i trains with seed + i");
            double lr = a.get(i).value(Hyper.LR);
            assertTrue(lr >= 1e-6 && lr <= 1e-3, "lr " + lr);
        }
    }

    @Test
    void aGridTakesEvenlySpacedLogPointsTimesTheChoices() {
        SearchSpec s = new SearchSpec(SearchSpec.Strategy.GRID, Map.of(Hyper.LR, Dimension.log(1e-6, 1e-3),
                Hyper.REG, Dimension.log(1e-4, 1), Hyper.HIDDEN, Dimension.choice(List.of(50.0, 100.0))),
                List.of(UpdateRuleKind.SGD, UpdateRuleKind.ADAM), 70, 1, 0, 1, PrunerSpec.NONE);
        List<Trial> grid = s.trials(3072, 10, DATA);
        // 70 trials / (2 hidden x 2 rules) = 17.5 -> 4 points per log range (4 x 4 = 16 <= 17.5)
        assertEquals(4 * 4 * 2 * 2, grid.size());
        assertEquals(List.of(1e-6, 1e-5, 1e-4, 1e-3), grid.stream().map(t -> t.value(Hyper.LR)).distinct().sorted()
                .map(v -> Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6e", v))).toList());
        assertEquals(grid.size(), grid.stream().map(t -> List.of(t.value(Hyper.LR), t.value(Hyper.REG), t.value(Hyper.HIDDEN),
                t.train().updateRule())).distinct().count(), "every point once");
    }

    @Test
    void savesAndLoadsAsJson() throws Exception {
        SearchSpec s = new SearchSpec(SearchSpec.Strategy.RANDOM, Map.of(Hyper.LR, Dimension.log(1e-6, 1e-3),
                Hyper.MOMENTUM, Dimension.uniform(0.5, 0.99), Hyper.BATCH_SIZE, Dimension.choice(List.of(50.0, 200.0)),
                Hyper.DROPOUT, Dimension.fixed(0.25)), List.of(UpdateRuleKind.NESTEROV), 12, 3, 5000, 9, PrunerSpec.HALVING);
        Path f = tmp.resolve("spec.json");
        s.save(f);
        assertEquals(s, SearchSpec.load(f));
        assertEquals(s.trials(3072, 10, DATA), SearchSpec.load(f).trials(3072, 10, DATA));
        Files.writeString(f, Files.readString(f).replace("\"trials\" : 12", "\"trials\" : -1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchSpec.load(f));
        assertTrue(e.getMessage().contains("at least 1 trial"), e.getMessage());
        Files.writeString(f, s.toJson().replace("\"DROPOUT\" : {", "\"DROPOUT\" : null, \"INIT_STD\" : {"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpec.load(f)).getMessage().contains("dropout has no range"));
        Files.writeString(f, "{ not json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpec.load(f)).getMessage().startsWith("search spec: "));
    }

    static SearchSpec spec(Map<Hyper, Dimension> ranges) {
        return new SearchSpec(SearchSpec.Strategy.RANDOM, ranges, List.of(), 10, 1, 0, 1, PrunerSpec.NONE);
    }
}
