package org.babysitter.app.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javafx.animation.AnimationTimer;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.TilePane;

import org.babysitter.app.session.TrialRow;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The search command center's charts, as the lecture draws them: a grid of small loss curves, one per trial, and the
 * trials' lr against reg on log axes, coloured by validation accuracy.
 */
public final class SearchCharts {
    /** A curve is clipped at this many times its first loss: a diverging trial's blow-up never flattens the rest. */
    static final double CEILING = 3;
    static final Color RUNNING = new Color(70, 130, 200);
    static final Color DIVERGED = ChartStyle.CHANCE;
    static final Color STOPPED = new Color(150, 150, 150);

    private SearchCharts() {
    }

    /** A trial's colour by its state: running blue, done green, diverged or failed red, pruned or cancelled grey. */
    static Color stateColour(TrialRow r) {
        return switch (r.state()) {
            case TrialRow.RUNNING -> RUNNING;
            case "done" -> ChartStyle.VAL;
            case "diverged", "failed" -> DIVERGED;
            default -> STOPPED;
        };
    }

    /**
     * The accuracy colour scale of the scatter and the parallel coordinates: {@code t} 0 (the lowest accuracy) dark
     * blue, through teal and green, to 1 (the highest) yellow; clamped to 0..1.
     */
    static Color accuracyColour(double t) {
        t = Math.max(0, Math.min(1, t));
        Color[] stops = {new Color(68, 1, 84), new Color(49, 104, 142), new Color(53, 183, 121), new Color(253, 231, 37)};
        double p = t * (stops.length - 1);
        int i = Math.min((int) Math.floor(p), stops.length - 2);
        double f = p - i;
        Color c0 = stops[i];
        Color c1 = stops[i + 1];
        return new Color((int) Math.round(c0.getRed() + f * (c1.getRed() - c0.getRed())),
                (int) Math.round(c0.getGreen() + f * (c1.getGreen() - c0.getGreen())),
                (int) Math.round(c0.getBlue() + f * (c1.getBlue() - c0.getBlue())));
    }

    /**
     * The grid of small loss curves, one per trial, kept in step with the rows (FX thread). With 100 trials running a
     * redraw of every chart at every frame would hold the FX thread for a third of a second; so a chart takes its new
     * row only while it is on screen (inside the window and its scroll pane), and at most {@value #DRAWS_PER_PULSE}
     * charts are redrawn per pulse; the others wait, marked pending, until scrolled into view or their turn comes.
     */
    public static final class CurveGrid {
        /** Charts redrawn per pulse at most: each costs a few ms of the FX thread. */
        static final int DRAWS_PER_PULSE = 4;
        /** A small chart draws at most this many points (it is about 230 pixels wide). */
        static final int MAX_POINTS = 240;
        private final TilePane pane = new TilePane(6, 6);
        private final Map<Integer, ChartView> views = new HashMap<>();
        private final Map<Integer, XYSeries> series = new HashMap<>();
        private final Map<Integer, JFreeChart> charts = new HashMap<>();
        /** The row each chart shows now. */
        private final Map<Integer, TrialRow> drawn = new HashMap<>();
        /** The newest row of each chart that does not show it yet, in the order they came. */
        private final Map<Integer, TrialRow> pending = new java.util.LinkedHashMap<>();
        private final AnimationTimer drainer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                drain();
            }
        };
        private boolean draining;

        public CurveGrid() {
            pane.setPrefColumns(4);
            pane.setPrefTileWidth(230);
            pane.setPrefTileHeight(150);
            pane.setId("search-curves");
            // scrolled or resized: pending charts may have come into view
            pane.localToSceneTransformProperty().addListener((o, a, b) -> {
                if (!pending.isEmpty()) {
                    drain();
                }
            });
            pane.layoutBoundsProperty().addListener((o, a, b) -> {
                if (!pending.isEmpty()) {
                    drain();
                }
            });
        }

        public TilePane node() {
            return pane;
        }

        /** Trial number -> its curve's chart (tests). */
        public Map<Integer, ChartView> charts() {
            return Map.copyOf(views);
        }

        /** Charts not showing their newest row yet (tests). */
        public int pending() {
            return pending.size();
        }

        /** The rows now: new trials get a chart, the others' new losses and state are drawn (soon, if on screen). */
        public void show(List<TrialRow> rows) {
            // another search's rows (the list was cleared and refilled between two redraws): its charts start over
            boolean other = rows.isEmpty();
            for (TrialRow r : rows) {
                TrialRow was = drawn.get(r.number());
                other |= was != null && !was.trial().equals(r.trial());
            }
            other |= views.keySet().stream().anyMatch(n -> n > rows.size());
            if (other && !views.isEmpty()) {
                pane.getChildren().clear();
                views.clear();
                series.clear();
                charts.clear();
                drawn.clear();
                pending.clear();
            }
            for (TrialRow r : rows) {
                TrialRow was = drawn.get(r.number());
                if (was == null || was.losses().size() != r.losses().size() || !r.state().equals(was.state())) {
                    pending.put(r.number(), r);
                }
            }
            drain();
        }

        /**
         * Up to {@value #DRAWS_PER_PULSE} pending charts made (a new chart draws itself at its first layout) or, on
         * screen, drawn; the timer runs while any is pending.
         */
        private void drain() {
            int budget = DRAWS_PER_PULSE;
            for (var it = pending.entrySet().iterator(); it.hasNext() && budget > 0; ) {
                var e = it.next();
                ChartView v = views.get(e.getKey());
                if (v == null) {
                    make(e.getValue());
                    budget--;
                    v = views.get(e.getKey());
                }
                if (onScreen(v)) {
                    update(charts.get(e.getKey()), series.get(e.getKey()), e.getValue());
                    drawn.put(e.getKey(), e.getValue());
                    it.remove();
                    budget--;
                }
            }
            // nothing pending could be drawn (all off screen): no pulses asked for until a scroll or a new row
            if ((pending.isEmpty() || budget == DRAWS_PER_PULSE) && draining) {
                drainer.stop();
                draining = false;
            } else if (!pending.isEmpty() && budget < DRAWS_PER_PULSE && !draining) {
                drainer.start();
                draining = true;
            }
        }

        /** A new trial's chart, in its place in the grid. */
        private void make(TrialRow r) {
            int n = r.number();
            XYSeries s = new XYSeries("loss", false);
            JFreeChart chart = curve(r, s);
            ChartView v = new ChartView(chart);
            v.setPrefSize(230, 150);
            v.setMinSize(180, 120);
            v.setId("search-curve-" + n);
            v.setOnScroll(null); // the wheel scrolls the panel over the grid, not a small chart's zoom
            views.put(n, v);
            series.put(n, s);
            charts.put(n, chart);
            pane.getChildren().add(v);
        }

        /** True if some of {@code v} shows: inside its window and inside every scroll pane around it. */
        private static boolean onScreen(Node v) {
            Scene scene = v.getScene();
            if (scene == null || scene.getWindow() == null || !scene.getWindow().isShowing() || !v.isVisible()) {
                return false;
            }
            Bounds b = v.localToScene(v.getLayoutBounds());
            if (!b.intersects(0, 0, scene.getWidth(), scene.getHeight())) {
                return false;
            }
            for (Parent p = v.getParent(); p != null; p = p.getParent()) {
                if (p instanceof ScrollPane sp && !b.intersects(sp.localToScene(sp.getLayoutBounds()))) {
                    return false;
                }
            }
            return true;
        }

        private static JFreeChart curve(TrialRow r, XYSeries s) {
            ReadableNumberAxis x = new ReadableNumberAxis(null, true);
            ReadableNumberAxis y = new ReadableNumberAxis(null, false);
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            XYPlot plot = new XYPlot(new XYSeriesCollection(s), x, y, renderer);
            JFreeChart chart = new JFreeChart("", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
            ChartStyle.apply(chart, 0.75f, false);
            return chart;
        }

        /** The curve's new points (clipped at {@value #CEILING}x the first loss), its colour and its title. */
        private static void update(JFreeChart chart, XYSeries s, TrialRow r) {
            chart.setNotify(false);
            List<Double> ls = r.losses();
            double ceiling = ls.isEmpty() || !Double.isFinite(ls.get(0)) ? Double.MAX_VALUE : CEILING * ls.get(0);
            // drawn again whole, every step-th loss (at most MAX_POINTS: more than the small chart's pixels say nothing)
            s.clear();
            int step = Math.max(1, (ls.size() + MAX_POINTS - 1) / MAX_POINTS);
            for (int i = 0; i < ls.size(); i += step) {
                double v = ls.get(i);
                s.add(i + 1, Double.isFinite(v) ? Math.min(v, ceiling) : ceiling, false);
            }
            s.fireSeriesChanged();
            chart.getXYPlot().getRenderer().setSeriesPaint(0, stateColour(r));
            chart.getXYPlot().getRenderer().setSeriesStroke(0, new BasicStroke(1.2f));
            chart.setTitle(new TextTitle(String.format(Locale.ROOT, "#%d %s  lr %.1e reg %.1e%s", r.number(), r.state(),
                    r.lr(), r.reg(), Double.isNaN(r.best()) ? "" : String.format(Locale.ROOT, "  val %.2f", r.best())),
                    ChartStyle.font(java.awt.Font.PLAIN, 11, 0.9f)));
            chart.getTitle().setPaint(stateColour(r).darker());
            chart.setNotify(true);
        }
    }

    /**
     * lr against reg, both on log axes: each ended trial a dot coloured by its best validation accuracy (dark blue the
     * lowest, yellow the highest of the trials that did not diverge); diverged and failed trials red crosses, outside
     * the colour scale so they never squash it; running trials hollow grey.
     */
    public static final class Scatter {
        private final XYSeries learned = new XYSeries("val acc (colour)", false);
        private final XYSeries diverged = new XYSeries("diverged", false);
        private final XYSeries running = new XYSeries("running", false);
        private final List<Double> accuracies = new ArrayList<>();
        private final TextTitle scale = new TextTitle("");
        private final JFreeChart chart;
        private final ChartView view;
        /** The rows drawn now (for an export's copy). */
        private List<TrialRow> shown = List.of();
        private double low;
        private double high;
        /** A colour scale given from outside (two scatters compared side by side), NaN: the shown trials' own. */
        private double fixedLow = Double.NaN;
        private double fixedHigh = Double.NaN;

        public Scatter() {
            XYSeriesCollection data = new XYSeriesCollection();
            data.addSeries(learned);
            data.addSeries(diverged);
            data.addSeries(running);
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true) {
                private static final long serialVersionUID = 1L;

                @Override
                public Paint getItemPaint(int row, int column) {
                    return row == 0 && column < accuracies.size() ? colour(accuracies.get(column)) : super.getItemPaint(row, column);
                }
            };
            renderer.setSeriesShape(0, new Ellipse2D.Double(-5, -5, 10, 10));
            renderer.setSeriesShape(1, cross(6));
            renderer.setSeriesPaint(1, DIVERGED);
            renderer.setSeriesShape(2, new Ellipse2D.Double(-4, -4, 8, 8));
            renderer.setSeriesPaint(2, STOPPED);
            renderer.setSeriesShapesFilled(2, false);
            renderer.setSeriesPaint(0, new Color(60, 60, 140));
            XYPlot plot = new XYPlot(data, new ReadableLogAxis("learning rate", AxisTicks.LogStyle.POWER),
                    new ReadableLogAxis("reg", AxisTicks.LogStyle.POWER), renderer);
            chart = new JFreeChart("lr x reg", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
            chart.addSubtitle(scale);
            ChartStyle.apply(chart, 1, false);
            view = new ChartView(chart);
            view.setPrefSize(460, 380);
            view.setMinSize(360, 300);
            view.setId("search-scatter");
        }

        public ChartView node() {
            return view;
        }

        /** The chart's title ("lr x reg" unless set). */
        public void setTitle(String title) {
            chart.setTitle(title);
            chart.getTitle().setFont(ChartStyle.font(java.awt.Font.BOLD, 13, 1));
        }

        /**
         * Both log axes fixed to lr {@code lrLow..lrHigh} and reg {@code regLow..regHigh} (a quarter of a decade more each
         * side), so that two scatters side by side compare point for point.
         */
        public void setRanges(double lrLow, double lrHigh, double regLow, double regHigh) {
            double m = Math.pow(10, 0.25);
            chart.getXYPlot().getDomainAxis().setRange(lrLow / m, lrHigh * m);
            chart.getXYPlot().getRangeAxis().setRange(regLow / m, regHigh * m);
        }

        /**
         * The colour scale from val accuracy {@code low} (dark blue) to {@code high} (yellow) at the next {@link #show},
         * whatever the shown trials reach: two scatters side by side then colour alike.
         */
        public void setAccuracyScale(double low, double high) {
            if (!(low <= high)) {
                throw new IllegalArgumentException("a colour scale needs low <= high, got " + low + " and " + high);
            }
            fixedLow = low;
            fixedHigh = high;
        }

        /** Points drawn: coloured (learned), diverged, running (tests). */
        public int[] counts() {
            return new int[] {learned.getItemCount(), diverged.getItemCount(), running.getItemCount()};
        }

        /**
         * A chart of the points shown now that nothing changes any more (FX thread): safe to write on another thread
         * (a snapshot would share the live renderer's colours).
         */
        public JFreeChart exportCopy() {
            Scatter copy = new Scatter();
            copy.chart.setTitle(chart.getTitle().getText());
            copy.fixedLow = fixedLow;
            copy.fixedHigh = fixedHigh;
            copy.show(shown);
            copy.chart.getXYPlot().getDomainAxis().setRange(chart.getXYPlot().getDomainAxis().getRange());
            copy.chart.getXYPlot().getRangeAxis().setRange(chart.getXYPlot().getRangeAxis().getRange());
            return copy.chart;
        }

        /** The rows now, drawn again (one redraw). */
        public void show(List<TrialRow> rows) {
            shown = List.copyOf(rows);
            chart.setNotify(false);
            learned.clear();
            diverged.clear();
            running.clear();
            accuracies.clear();
            low = Double.POSITIVE_INFINITY;
            high = Double.NEGATIVE_INFINITY;
            for (TrialRow r : rows) {
                if (r.ended() && !r.diverged() && !"failed".equals(r.state())) {
                    double a = Double.isNaN(r.best()) ? 0 : r.best();
                    low = Math.min(low, a);
                    high = Math.max(high, a);
                }
            }
            for (TrialRow r : rows) {
                if (!r.ended()) {
                    running.add(r.lr(), r.reg(), false);
                } else if (r.diverged() || "failed".equals(r.state())) {
                    diverged.add(r.lr(), r.reg(), false);
                } else {
                    learned.add(r.lr(), r.reg(), false);
                    accuracies.add(Double.isNaN(r.best()) ? 0 : r.best());
                }
            }
            if (!Double.isNaN(fixedLow)) {
                low = fixedLow;
                high = fixedHigh;
            }
            scale.setText(learned.getItemCount() == 0 ? "" : String.format(Locale.ROOT,
                    "colour: best val acc from %.3f (dark blue) to %.3f (yellow); diverged: red crosses", low, high));
            scale.setFont(ChartStyle.font(java.awt.Font.PLAIN, 11, 1));
            learned.fireSeriesChanged();
            diverged.fireSeriesChanged();
            running.fireSeriesChanged();
            chart.setNotify(true);
        }

        /** Dark blue at the lowest accuracy, through teal and green, to yellow at the highest. */
        private Color colour(double a) {
            return accuracyColour(high > low ? (a - low) / (high - low) : 1);
        }

        private static Shape cross(double r) {
            GeneralPath p = new GeneralPath();
            p.moveTo(-r, -r);
            p.lineTo(r, r);
            p.moveTo(-r, r);
            p.lineTo(r, -r);
            return new BasicStroke(2.5f).createStrokedShape(p);
        }
    }
}
