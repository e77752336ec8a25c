package org.babysitter.app.charts;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;

/** A made-up run fed to the charts as the session would (FX thread), and drawing a chart into an image. */
final class SyntheticRun {
    static final int ITERATIONS_PER_EPOCH = 90;

    private SyntheticRun() {
    }

    static RunEvent.Started started(int epochs) {
        return new RunEvent.Started(0, "3072-50-10 ReLU", "momentum 0.9", List.of("W1", "W2"), ITERATIONS_PER_EPOCH,
                ITERATIONS_PER_EPOCH * epochs, epochs, 100, "sampled batches", 1e-4, 1e-3, 9000, 1000, 10, Math.log(10),
                "ln(10) = 2.303", 0, "ejml");
    }

    static IterationMetrics iteration(int i, double loss, double r1, double r2) {
        return new IterationMetrics(i, i / (double) ITERATIONS_PER_EPOCH, loss, 1e-4, 1e-3, List.of(r1, r2), i * 1_000_000L, 0);
    }

    static EpochMetrics epoch(int e, int epochs, double train, double val) {
        return new EpochMetrics(e, epochs, e * ITERATIONS_PER_EPOCH, 1.0, train, val, 1e-4, e * 90_000_000L);
    }

    static RunEvent.ControlChanged lr(int at, double from, double to) {
        return new RunEvent.ControlChanged(at, RunEvent.Control.LEARNING_RATE, from, to);
    }

    /**
     * A 20-epoch run: the loss falls from ln(10) towards 0.05, train accuracy reaches 1.0, ratios fall from 3e-2 to
     * 2e-3; the given changes of lr on the way. Charts drawn (redraw) at the end.
     */
    static void feed(RunCharts charts, List<RunEvent.ControlChanged> changes) {
        int epochs = 20;
        charts.started(started(epochs));
        List<IterationMetrics> its = new ArrayList<>();
        List<EpochMetrics> eps = new ArrayList<>();
        for (int i = 1; i <= ITERATIONS_PER_EPOCH * epochs; i++) {
            double t = i / (double) (ITERATIONS_PER_EPOCH * epochs);
            double loss = 0.05 + (Math.log(10) - 0.05) * Math.exp(-4 * t) * (1 + 0.08 * Math.sin(i * 1.7));
            its.add(iteration(i, loss, 3e-2 * Math.pow(15, -t), 2e-2 * Math.pow(10, -t)));
            if (i % ITERATIONS_PER_EPOCH == 0) {
                int e = i / ITERATIONS_PER_EPOCH;
                eps.add(epoch(e, epochs, Math.min(1.0, 0.2 + e * 0.08), Math.min(0.82, 0.18 + e * 0.05)));
            }
        }
        charts.append(its, eps, changes);
        charts.redraw();
    }

    /** Draws {@code chart} at w x h (white behind it); the layout goes into {@code info}. */
    static BufferedImage draw(JFreeChart chart, int w, int h, ChartRenderingInfo info) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        chart.draw(g, new Rectangle2D.Double(0, 0, w, h), null, info);
        g.dispose();
        return img;
    }
}
