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

    /** The grid of small loss curves, one per trial, kept in step with the rows (FX thread). */
    public static final class CurveGrid {
        private final TilePane pane = new TilePane(6, 6);
        private final Map<Integer, ChartView> views = new HashMap<>();
        private final Map<Integer, XYSeries> series = new HashMap<>();
        private final Map<Integer, JFreeChart> charts = new HashMap<>();
        private final Map<Integer, String> states = new HashMap<>();

        public CurveGrid() {
            pane.setPrefColumns(4);
            pane.setPrefTileWidth(230);
            pane.setPrefTileHeight(150);
            pane.setId("search-curves");
        }

        public TilePane node() {
            return pane;
        }

        /** Trial number -> its curve's chart (tests). */
        public Map<Integer, ChartView> charts() {
            return Map.copyOf(views);
        }

        /** The rows now: new trials get a chart, the others take their new losses and state. */
        public void show(List<TrialRow> rows) {
            if (rows.isEmpty() && !views.isEmpty()) {
                pane.getChildren().clear();
                views.clear();
                series.clear();
                charts.clear();
                states.clear();
            }
            for (TrialRow r : rows) {
                int n = r.number();
                ChartView v = views.get(n);
                if (v == null) {
                    XYSeries s = new XYSeries("loss", false);
                    JFreeChart chart = curve(r, s);
                    v = new ChartView(chart);
                    v.setPrefSize(230, 150);
                    v.setMinSize(180, 120);
                    v.setId("search-curve-" + n);
                    v.setOnScroll(null); // the wheel scrolls the panel over the grid, not a small chart's zoom
                    views.put(n, v);
                    series.put(n, s);
                    charts.put(n, chart);
                    pane.getChildren().add(v);
                }
                XYSeries s = series.get(n);
                if (s.getItemCount() != r.losses().size() || !r.state().equals(states.get(n))) {
                    update(charts.get(n), s, r);
                    states.put(n, r.state());
                }
            }
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
            // drawn again whole (at most SearchController's few hundred points): the controller thins a long curve
            s.clear();
            for (int i = 0; i < ls.size(); i++) {
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
        private double low;
        private double high;

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

        /** Points drawn: coloured (learned), diverged, running (tests). */
        public int[] counts() {
            return new int[] {learned.getItemCount(), diverged.getItemCount(), running.getItemCount()};
        }

        /** The rows now, drawn again (one redraw). */
        public void show(List<TrialRow> rows) {
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
