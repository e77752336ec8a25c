package org.babysitter.app.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.babysitter.app.session.TrialRow;
import org.babysitter.engine.Numbers;
import org.babysitter.engine.search.Dimension;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.Scale;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Parallel coordinates of a search: one vertical axis per dimension the spec varies (log ranges on log axes with ticks
 * like 1e-4, uniform ranges linear, choices and update rules at evenly spaced categorical positions) and a last axis
 * for the best validation accuracy; one polyline per trial. Ended trials are coloured by val accuracy on the lr x reg
 * scatter's scale ({@link SearchCharts#accuracyColour}); diverged and failed trials are red and end in a band below the
 * accuracy axis, so they never stretch its scale; running trials are faint blue, pruned and cancelled faint grey. Every
 * axis is drawn on 0..1 (its own range mapped there); the band is at {@value #DIVERGED_Y}. Hover names the nearest
 * trial's config and val accuracy. FX thread.
 */
public final class ParallelCoordinates {
    /** Where a diverged trial's line ends on the accuracy axis: below 0, outside the accuracy scale. */
    static final double DIVERGED_Y = -0.18;
    private static final Color FAINT_RUNNING = new Color(70, 130, 200, 90);
    private static final Color FAINT_STOPPED = new Color(150, 150, 150, 90);
    private static final Stroke LINE = new BasicStroke(1.4f);
    private static final Stroke FAINT = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {4f, 3f}, 0f);

    /** One axis: its title and how a trial's value lands on 0..1. */
    record Axis(String title, Hyper hyper, Dimension dimension, List<Double> categories) {
        Axis {
            if (title == null || title.isEmpty()) {
                throw new IllegalArgumentException("an axis needs a title");
            }
            categories = categories == null ? List.of() : List.copyOf(categories);
        }

        /** Where {@code v} lies on this axis, 0 at the bottom and 1 at the top. */
        double position(double v) {
            if (!categories.isEmpty()) {
                int i = categories.indexOf(v);
                return categories.size() == 1 ? 0.5 : Math.max(0, i) / (double) (categories.size() - 1);
            }
            return Math.max(0, Math.min(1, dimension.position(v)));
        }
    }

    private XYSeriesCollection data = new XYSeriesCollection();
    private final List<TrialRow> shown = new ArrayList<>();
    private final List<Axis> axes = new ArrayList<>();
    private final TextTitle scale = new TextTitle("");
    private final JFreeChart chart;
    private final ChartView view;
    private final XYPlot plot;
    private SearchSpec spec;
    /** The spec the axes' annotations were drawn for. */
    private SearchSpec annotated;
    private double low;
    private double high;

    public ParallelCoordinates() {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false) {
            private static final long serialVersionUID = 1L;

            @Override
            public Paint getItemPaint(int row, int column) {
                return row < shown.size() ? paint(shown.get(row)) : super.getItemPaint(row, column);
            }

            @Override
            public Stroke getItemStroke(int row, int column) {
                return row < shown.size() && !shown.get(row).ended() ? FAINT : LINE;
            }
        };
        renderer.setDefaultCreateEntities(false);
        NumberAxis y = new NumberAxis();
        y.setRange(DIVERGED_Y - 0.08, 1.06);
        y.setVisible(false);
        plot = new XYPlot(data, new SymbolAxis(null, new String[] {"val acc"}), y, renderer);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        chart = new JFreeChart("Parallel coordinates", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.addSubtitle(scale);
        ChartStyle.apply(chart, 1, false);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        view = new ChartView(chart);
        view.setPrefSize(700, 360);
        view.setMinSize(420, 260);
        view.setId("search-parallel");
        view.setOnScroll(null);
        view.setOnMouseMoved(e -> {
            String text = hover(e.getX(), e.getY());
            if (text == null) {
                view.hideHover();
            } else {
                view.showHover(text, e.getX(), e.getY());
            }
        });
        view.setOnMouseExited(e -> view.hideHover());
    }

    public ChartView node() {
        return view;
    }

    public JFreeChart chart() {
        return chart;
    }

    /** The axes' titles, left to right (tests). */
    public List<String> axisTitles() {
        List<String> out = new ArrayList<>();
        for (Axis a : axes) {
            out.add(a.title());
        }
        out.add("val acc");
        return out;
    }

    /** Lines drawn (tests): one per trial. */
    public int lines() {
        return data.getSeriesCount();
    }

    /** The y (0..1, or {@link #DIVERGED_Y}) of trial {@code number}'s line on the accuracy axis, NaN if not ended (tests). */
    public double accuracyEnd(int number) {
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).number() == number) {
                XYSeries s = data.getSeries(i);
                return s.getY(s.getItemCount() - 1).doubleValue();
            }
        }
        throw new IllegalArgumentException("no trial " + number);
    }

    /** The trials of the search of {@code searched} now, drawn again (one redraw); {@code searched} null: nothing. */
    public void show(SearchSpec searched, List<TrialRow> rows) {
        chart.setNotify(false);
        double lowBefore = low;
        double highBefore = high;
        if (searched != spec) {
            spec = searched;
            axes.clear();
            if (spec != null) {
                axes.addAll(axesOf(spec));
            }
            plot.setDomainAxis(domain());
        }
        // a new collection set once: adding 100 series to the plot's own would re-range the axes 100 times
        XYSeriesCollection next = new XYSeriesCollection();
        shown.clear();
        low = Double.POSITIVE_INFINITY;
        high = Double.NEGATIVE_INFINITY;
        for (TrialRow r : rows) {
            if (r.ended() && !bad(r)) {
                double a = accuracy(r);
                low = Math.min(low, a);
                high = Math.max(high, a);
            }
        }
        boolean changedScale = Double.compare(low, lowBefore) != 0 || Double.compare(high, highBefore) != 0;
        if (spec != null) {
            for (TrialRow r : rows) {
                XYSeries s = new XYSeries(r.number(), false, true);
                for (int i = 0; i < axes.size(); i++) {
                    Axis a = axes.get(i);
                    s.add(i, a.position(a.hyper() == null ? r.trial().train().updateRule().ordinal() : r.trial().value(a.hyper())), false);
                }
                if (r.ended()) {
                    s.add(axes.size(), bad(r) ? DIVERGED_Y : accuracyPosition(accuracy(r)), false);
                }
                shown.add(r);
                next.addSeries(s);
            }
        }
        data = next;
        plot.setDataset(data);
        if (changedScale || searched != annotated) {
            annotate();
            annotated = searched;
        }
        scale.setText(low > high ? "" : String.format(Locale.ROOT,
                "colour: best val acc from %.3f (dark blue) to %.3f (yellow); diverged: red, below the axis; running: dashed", low, high));
        scale.setFont(ChartStyle.font(Font.PLAIN, 11, 1));
        chart.setNotify(true);
    }

    /** The axes a spec varies, in the engine's order, then the update rule if more than one is tried. */
    static List<Axis> axesOf(SearchSpec spec) {
        List<Axis> out = new ArrayList<>();
        for (Hyper h : Hyper.values()) {
            Dimension d = spec.range(h);
            if (d == null || d.scale() == Scale.FIXED) {
                continue;
            }
            List<Double> cats = d.continuous() ? List.of()
                    : List.copyOf(new TreeSet<>(d.values().stream().map(h::value).toList()));
            out.add(new Axis(h.key() + (d.scale() == Scale.LOG ? " (log)" : ""), h, d, cats));
        }
        if (spec.rules().size() > 1) {
            List<Double> ords = new ArrayList<>();
            spec.rules().stream().map(UpdateRuleKind::ordinal).distinct().sorted().forEach(o -> ords.add(o.doubleValue()));
            out.add(new Axis("update", null, null, ords));
        }
        return out;
    }

    private SymbolAxis domain() {
        String[] names = axisTitles().toArray(String[]::new);
        SymbolAxis x = new SymbolAxis(null, names);
        x.setRange(-0.35, names.length - 0.65);
        x.setGridBandsVisible(false);
        x.setTickLabelFont(ChartStyle.font(Font.BOLD, 12, 1));
        x.setAxisLineVisible(false);
        x.setTickMarksVisible(false);
        return x;
    }

    /** The vertical axes, their tick labels, and the diverged band's label. */
    private void annotate() {
        plot.clearAnnotations();
        Font f = ChartStyle.font(Font.PLAIN, 11, 1);
        Color labelBackground = new Color(255, 255, 255, 210); // the labels stay readable over the lines
        Color axisColour = new Color(60, 60, 60);
        for (int i = 0; i <= axes.size(); i++) {
            plot.addAnnotation(new XYLineAnnotation(i, 0, i, 1, new BasicStroke(1.5f), axisColour));
            List<double[]> ticks = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            if (i == axes.size()) {
                if (low <= high) {
                    for (double t : new double[] {0, 0.5, 1}) {
                        ticks.add(new double[] {t});
                        labels.add(String.format(Locale.ROOT, "%.3f", high > low ? low + t * (high - low) : low));
                    }
                }
            } else {
                ticks(axes.get(i), ticks, labels);
            }
            for (int k = 0; k < ticks.size(); k++) {
                XYTextAnnotation t = new XYTextAnnotation(labels.get(k), i - 0.025, ticks.get(k)[0]);
                t.setTextAnchor(TextAnchor.CENTER_RIGHT);
                t.setFont(f);
                t.setPaint(axisColour);
                t.setBackgroundPaint(labelBackground);
                plot.addAnnotation(t);
                plot.addAnnotation(new XYLineAnnotation(i - 0.02, ticks.get(k)[0], i, ticks.get(k)[0], new BasicStroke(1f), axisColour));
            }
        }
        XYLineAnnotation band = new XYLineAnnotation(axes.size() - 0.15, DIVERGED_Y, axes.size() + 0.15, DIVERGED_Y,
                new BasicStroke(6f), new Color(200, 40, 40, 60));
        plot.addAnnotation(band);
        XYTextAnnotation diverged = new XYTextAnnotation("diverged ", axes.size(), DIVERGED_Y);
        diverged.setTextAnchor(TextAnchor.CENTER_RIGHT);
        diverged.setFont(f);
        diverged.setPaint(SearchCharts.DIVERGED);
        plot.addAnnotation(diverged);
    }

    /** An axis' ticks: every power of ten of a log range (1e-4), low / middle / high of a uniform one, the choices. */
    private static void ticks(Axis a, List<double[]> at, List<String> labels) {
        if (!a.categories().isEmpty()) {
            for (double c : a.categories()) {
                at.add(new double[] {a.position(c)});
                labels.add(a.hyper() == null ? UpdateRuleKind.values()[(int) c].label() : Numbers.exact(c));
            }
            return;
        }
        Dimension d = a.dimension();
        if (d.scale() == Scale.LOG) {
            int from = (int) Math.ceil(Math.log10(d.low()) - 1e-9);
            int to = (int) Math.floor(Math.log10(d.high()) + 1e-9);
            int step = Math.max(1, (to - from + 1) / 6 + ((to - from + 1) % 6 == 0 ? 0 : 1));
            for (int e = from; e <= to; e += step) {
                at.add(new double[] {d.position(Math.pow(10, e))});
                labels.add("1e" + e);
            }
            if (at.isEmpty()) { // a range inside one decade: its ends
                for (double v : List.of(d.low(), d.high())) {
                    at.add(new double[] {d.position(v)});
                    labels.add(String.format(Locale.ROOT, "%.1e", v));
                }
            }
        } else {
            for (double t : new double[] {0, 0.5, 1}) {
                at.add(new double[] {t});
                labels.add(Numbers.exact(Double.parseDouble(String.format(Locale.ROOT, "%.3g", d.low() + t * (d.high() - d.low())))));
            }
        }
    }

    private double accuracyPosition(double a) {
        return high > low ? (a - low) / (high - low) : 0.5;
    }

    private static boolean bad(TrialRow r) {
        return r.diverged() || "failed".equals(r.state());
    }

    private static double accuracy(TrialRow r) {
        return Double.isNaN(r.best()) ? 0 : r.best();
    }

    private Color paint(TrialRow r) {
        if (!r.ended()) {
            return FAINT_RUNNING;
        }
        if (bad(r)) {
            return SearchCharts.DIVERGED;
        }
        if (!"done".equals(r.state())) {
            return FAINT_STOPPED;
        }
        return SearchCharts.accuracyColour(high > low ? (accuracy(r) - low) / (high - low) : 1);
    }

    /** The trial whose line passes nearest the pointer (within 6 pixels), described; null if none. */
    private String hover(double px, double py) {
        var info = view.getRenderingInfo();
        if (info == null || info.getPlotInfo() == null || shown.isEmpty()) {
            return null;
        }
        var area = info.getPlotInfo().getDataArea();
        var xAxis = plot.getDomainAxis();
        var yAxis = plot.getRangeAxis();
        double best = 6;
        TrialRow found = null;
        for (int i = 0; i < shown.size(); i++) {
            XYSeries s = data.getSeries(i);
            for (int k = 0; k + 1 < s.getItemCount(); k++) {
                double x0 = xAxis.valueToJava2D(s.getX(k).doubleValue(), area, plot.getDomainAxisEdge());
                double y0 = yAxis.valueToJava2D(s.getY(k).doubleValue(), area, plot.getRangeAxisEdge());
                double x1 = xAxis.valueToJava2D(s.getX(k + 1).doubleValue(), area, plot.getDomainAxisEdge());
                double y1 = yAxis.valueToJava2D(s.getY(k + 1).doubleValue(), area, plot.getRangeAxisEdge());
                double d = java.awt.geom.Line2D.ptSegDist(x0, y0, x1, y1, px, py);
                if (d < best) {
                    best = d;
                    found = shown.get(i);
                }
            }
        }
        return found == null ? null : describe(found, spec);
    }

    /** "#3 done: lr 1.2e-04, reg 3.4e-01, val acc 0.412". */
    static String describe(TrialRow r, SearchSpec spec) {
        StringBuilder sb = new StringBuilder("#" + r.number() + " " + r.state() + ":");
        List<String> parts = new ArrayList<>();
        for (Axis a : axesOf(spec)) {
            parts.add(a.hyper() == null ? "update " + r.trial().train().updateRule().label()
                    : a.hyper().key() + " " + String.format(Locale.ROOT, a.hyper().integer() ? "%.0f" : "%.2e", r.trial().value(a.hyper())));
        }
        sb.append(' ').append(String.join(", ", parts));
        sb.append(Double.isNaN(r.best()) ? "" : String.format(Locale.ROOT, ", val acc %.3f", r.best()));
        return sb.toString();
    }

    /**
     * A chart of the trials shown now that nothing changes any more (FX thread): safe to write on another thread while
     * this one goes on (a snapshot would share the live renderer's colours).
     */
    public JFreeChart exportCopy() {
        ParallelCoordinates copy = new ParallelCoordinates();
        copy.show(spec, List.copyOf(shown));
        return copy.chart;
    }

    /** Writes the chart as it is now to {@code file} (PNG or SVG by the extension), at {@code width} x {@code height}. */
    public void export(Path file, int width, int height) throws java.io.IOException {
        ChartExport.write(exportCopy(), ImageFormat.of(file).orElse(ImageFormat.PNG), file, width, height);
    }
}
