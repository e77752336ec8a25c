package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import org.babysitter.app.session.TrialRow;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.search.Dimension;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.PrunerSpec;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.search.TrialState;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Parallel coordinates of synthetic trials: the spec's axes, a line per trial, diverged below the accuracy axis. */
@ExtendWith(ApplicationExtension.class)
class ParallelCoordinatesTest {
    private ParallelCoordinates chart;

    @TempDir
    Path tmp;

    @Start
    void start(Stage stage) {
        chart = new ParallelCoordinates();
        stage.setScene(new Scene(new StackPane(chart.node()), 800, 400));
        stage.show();
    }

    static final SearchSpec SPEC = new SearchSpec(SearchSpec.Strategy.RANDOM,
            Map.of(Hyper.LR, Dimension.log(1e-5, 1e-2), Hyper.REG, Dimension.log(1e-4, 1), Hyper.HIDDEN,
                    Dimension.choice(List.of(50.0, 100.0)), Hyper.MOMENTUM, Dimension.fixed(0.9)),
            List.of(UpdateRuleKind.values()[0], UpdateRuleKind.values()[1]), 4, 1, 100, 0, PrunerSpec.NONE);

    /** Four trials: done at 0.30 and 0.50, one diverged, one running. */
    static List<TrialRow> rows() {
        List<Trial> trials = SPEC.trials(3072, 10, new DataIdentity("test", "sha256:" + "0".repeat(64)));
        List<TrialRow> out = new ArrayList<>();
        out.add(ended(trials.get(0), TrialState.DONE, 0.30));
        out.add(ended(trials.get(1), TrialState.DONE, 0.50));
        out.add(ended(trials.get(2), TrialState.DIVERGED, 0.10));
        out.add(new TrialRow(trials.get(3), TrialRow.RUNNING, "", List.of(), List.of(2.3), 1, null));
        return out;
    }

    private static TrialRow ended(Trial t, TrialState s, double acc) {
        TrialResult r = new TrialResult(t, s, s == TrialState.DONE ? null : "loss blew up", List.of(acc), 1_000_000);
        return new TrialRow(t, s.word(), r.reason(), List.of(acc), List.of(2.3, 2.2), 1, r);
    }

    @Test
    void anAxisPerVariedDimensionALinePerTrialAndDivergedBelowTheScale() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> chart.show(SPEC, rows())).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("lr (log)", "reg (log)", "hidden", "update", "val acc"),
                WaitForAsyncUtils.asyncFx(chart::axisTitles).get(10, TimeUnit.SECONDS), "momentum is fixed: no axis");
        assertEquals(4, (int) WaitForAsyncUtils.asyncFx(chart::lines).get(10, TimeUnit.SECONDS));
        assertEquals(0.0, WaitForAsyncUtils.asyncFx(() -> chart.accuracyEnd(1)).get(10, TimeUnit.SECONDS), 1e-9, "lowest at the bottom");
        assertEquals(1.0, WaitForAsyncUtils.asyncFx(() -> chart.accuracyEnd(2)).get(10, TimeUnit.SECONDS), 1e-9, "highest at the top");
        assertEquals(ParallelCoordinates.DIVERGED_Y, WaitForAsyncUtils.asyncFx(() -> chart.accuracyEnd(3)).get(10, TimeUnit.SECONDS),
                1e-9, "diverged in its band, outside the scale");
        String d = ParallelCoordinates.describe(rows().get(1), SPEC);
        assertTrue(d.startsWith("#2 done: lr ") && d.contains("hidden ") && d.endsWith("val acc 0.500"), d);
        Path svg = tmp.resolve("p.svg");
        WaitForAsyncUtils.asyncFx(() -> {
            chart.export(svg, 900, 450);
            return null;
        }).get(10, TimeUnit.SECONDS);
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG written");
    }
}
