package org.babysitter.app.charts;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import org.babysitter.app.session.UiPump;
import org.babysitter.engine.Numbers;
import org.babysitter.engine.metrics.Histogram;
import org.babysitter.engine.metrics.LayerStatistics;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * What happens inside the net, from the run's layer samples: per hidden layer over time its activations' mean, std (log
 * axis) and dead (ReLU) or saturated (tanh, sigmoid) share, a line per layer; and the latest sample's histograms of
 * each layer's activations, each weight's gradient and each weight's update, batch norm's input and output labelled.
 * One object for the window's life, shown in a dialog on demand: samples mark it stale, and it redraws at the pump's
 * next frame only while it is on screen (opening it draws at once).
 */
public final class InsideCharts {
    private final ObservableList<LayerStatistics> samples;
    private final VBox root = new VBox(6);
    private final Label heading = new Label();
    private final XYSeriesCollection means = new XYSeriesCollection();
    private final XYSeriesCollection stds = new XYSeriesCollection();
    private final XYSeriesCollection shares = new XYSeriesCollection();
    private final List<JFreeChart> lines = new ArrayList<>();
    private final List<ChartView> lineViews = new ArrayList<>();
    /** The chart of the dead or saturated shares: its lines take their layer's colour in the other two. */
    private final JFreeChart shareChart;
    private final FlowPane activations = pane("inside-activations");
    /** Each weight's gradient and update side by side: dW1, update of W1, dW2, ... */
    private final FlowPane weights = pane("inside-weights");
    private final List<HistogramChart> activationCharts = new ArrayList<>();
    private final List<HistogramChart> gradientCharts = new ArrayList<>();
    private final List<HistogramChart> updateCharts = new ArrayList<>();
    private List<String> shape = List.of();
    private boolean stale = true;

    public InsideCharts(UiPump pump, ObservableList<LayerStatistics> samples) {
        this.samples = samples;
        root.setId("inside-net");
        root.setPadding(new Insets(4));
        heading.setId("inside-heading");
        heading.setWrapText(true);
        heading.setMaxWidth(1200);
        ChartView percent = line("inside-dead", "Dead / saturated units (%)", shares, false);
        shareChart = percent.getChart();
        percent.getChart().getXYPlot().getRangeAxis().setRange(0, 100); // a share: the whole scale, 50% the rules' line
        percent.setRestore(() -> {
            percent.getChart().getXYPlot().getDomainAxis().setAutoRange(true);
            percent.getChart().getXYPlot().getRangeAxis().setRange(0, 100);
        });
        HBox overTime = new HBox(6, line("inside-mean", "Activation mean", means, false),
                line("inside-std", "Activation std", stds, true), percent);
        root.getChildren().addAll(heading, overTime, section("Activations per layer (the share of the batch's values per bin)"),
                activations, section("Per weight: its gradient dW, and its update (W after the step minus W before: the"
                        + " learning rate, momentum and L2 included)"), weights);
        samples.addListener((ListChangeListener<LayerStatistics>) c -> {
            stale = true;
            pump.requestFrame();
        });
        pump.addFrameListener(() -> {
            if (stale && showing()) {
                refresh();
            }
        });
    }

    private static FlowPane pane(String id) {
        FlowPane p = new FlowPane(4, 4);
        p.setId(id);
        p.setPrefWrapLength(1180);
        return p;
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.setStyle("-fx-font-weight: bold;");
        return l;
    }

    private ChartView line(String id, String title, XYSeriesCollection data, boolean log) {
        org.jfree.chart.axis.ValueAxis y = log ? logAxis() : new ReadableNumberAxis(null, false);
        XYPlot plot = new XYPlot(data, new ReadableNumberAxis("iteration", true), y, new LinesRenderer());
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartStyle.apply(chart, 1f, false);
        chart.getTitle().setFont(ChartStyle.font(java.awt.Font.BOLD, 12, 1f));
        lines.add(chart);
        ChartView v = new ChartView(chart);
        lineViews.add(v);
        v.setId(id);
        v.setPrefSize(395, 215);
        v.setMinSize(300, 200);
        return v;
    }

    private static ReadableLogAxis logAxis() {
        ReadableLogAxis a = new ReadableLogAxis(null, AxisTicks.LogStyle.POWER);
        a.setSmallestValue(1e-12);
        return a;
    }

    /** The view (shown in a dialog; one node for the window's life). */
    public Node node() {
        return root;
    }

    private boolean showing() {
        return root.getScene() != null && root.getScene().getWindow() != null && root.getScene().getWindow().isShowing();
    }

    /** Draws the samples now (FX thread): the view is opened, or a frame came while it shows. */
    public void refresh() {
        stale = false;
        lines.forEach(c -> c.setNotify(false));
        means.removeAllSeries();
        stds.removeAllSeries();
        shares.removeAllSeries();
        if (samples.isEmpty()) {
            heading.setText("No layer samples yet: start a run. The trainer samples the layers after its first iteration and"
                    + " then every few iterations (a hundred samples a run, at most every 50 iterations).");
            shape = List.of();
            activations.getChildren().clear();
            weights.getChildren().clear();
            activationCharts.clear();
            gradientCharts.clear();
            updateCharts.clear();
            lines.forEach(c -> c.setNotify(true));
            return;
        }
        LayerStatistics last = samples.get(samples.size() - 1);
        heading.setText(String.format(Locale.ROOT, "%d samples; the latest after iteration %,d. Over time: each hidden layer's"
                + " output; the histograms: the latest sample's batch.", samples.size(), last.iteration()));
        drawOverTime(last);
        lines.forEach(c -> c.setNotify(true));
        drawHistograms(last);
    }

    private void drawOverTime(LayerStatistics last) {
        List<LayerStatistics.Output> hidden = last.hidden();
        int offset = last.layers().size() - hidden.size(); // the input's entry, if any, comes first
        for (int i = 0; i < hidden.size(); i++) {
            String name = hidden.get(i).name();
            XYSeries mean = new XYSeries(legendName(name), false);
            XYSeries std = new XYSeries(legendName(name), false);
            boolean dead = hidden.get(i).rectifier();
            boolean squashing = hidden.get(i).squashing();
            XYSeries share = new XYSeries(legendName(name) + (dead ? " dead" : " saturated"), false);
            for (LayerStatistics s : samples) {
                LayerStatistics.Output o = find(s, name);
                if (o == null) {
                    continue;
                }
                mean.add(s.iteration(), o.mean(), false);
                if (o.std() > 0) {
                    std.add(s.iteration(), o.std(), false);
                }
                share.add(s.iteration(), 100 * (dead ? o.dead() : o.saturated()), false);
            }
            means.addSeries(mean);
            stds.addSeries(std);
            if (dead || squashing) {
                shares.addSeries(share);
            }
        }
        for (JFreeChart c : lines) {
            var r = c.getXYPlot().getRenderer();
            for (int k = 0; k < c.getXYPlot().getDataset().getSeriesCount(); k++) {
                r.setSeriesPaint(k, colour(k));
                ChartStyle.strokeSeries(r, k, 1f, false, false);
            }
        }
        // a conv net's nine or more layers: taller charts, so that their legends leave the plots room
        int legendRows = (hidden.size() + 2) / 3;
        lineViews.forEach(v -> v.setPrefHeight(215 + 18 * Math.max(0, legendRows - 2)));
        // the shares chart's lines are named by layer: colour them as the same layer in the other charts
        var r = shareChart.getXYPlot().getRenderer();
        int k = 0;
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i).rectifier() || hidden.get(i).squashing()) {
                r.setSeriesPaint(k++, colour(i));
            }
        }
    }

    /** A layer's name without its sizes, for a legend or a small chart's title: "1 affine", "2 batch norm". */
    static String shortName(String name) {
        return name.replaceAll(" \\d+( -> \\d+)?$", "");
    }

    /**
     * A layer's name in a legend: without its sizes ({@link #shortName}), and a conv or pooling layer without its
     * volumes ("1 conv 5x5x16 pad 2: 3x32x32 -> 16x32x32" is "1 conv 5x5x16 pad 2").
     */
    static String legendName(String name) {
        int colon = name.indexOf(": ");
        return colon > 0 && name.indexOf(" -> ", colon) > 0 ? name.substring(0, colon) : shortName(name);
    }

    /**
     * Entry i's short name with batch norm's "(before batch norm)", or for batch norm's own output "(after)": "2 batch
     * norm (after batch norm)" would not fit a small chart's title on one line.
     */
    private static String shortLabel(LayerStatistics s, int i) {
        String name = s.layers().get(i).name();
        return shortName(name) + s.label(i).substring(name.length()).replace("(after batch norm)", "(after)");
    }

    private static LayerStatistics.Output find(LayerStatistics s, String name) {
        for (LayerStatistics.Output o : s.layers()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    private static Color colour(int k) {
        return ChartStyle.LAYERS[k % ChartStyle.LAYERS.length];
    }

    private void drawHistograms(LayerStatistics last) {
        List<String> now = new ArrayList<>();
        last.layers().forEach(o -> now.add(o.name()));
        last.weights().forEach(w -> now.add(w.name()));
        List<LayerStatistics.Output> hidden = last.hidden();
        int offset = last.layers().size() - hidden.size();
        if (!now.equals(shape)) { // a new net: its charts
            shape = now;
            activationCharts.clear();
            gradientCharts.clear();
            updateCharts.clear();
            for (int i = 0; i < hidden.size(); i++) {
                activationCharts.add(sized(new HistogramChart(shortLabel(last, offset + i), colour(i), false, hidden.get(i).values())));
            }
            for (LayerStatistics.Gradient w : last.weights()) {
                gradientCharts.add(sized(new HistogramChart("d" + w.name(), ChartStyle.TRAIN, false, w.gradient())));
                updateCharts.add(sized(new HistogramChart("update of " + w.name(), ChartStyle.MARKER, false, w.update())));
            }
            activations.getChildren().setAll(activationCharts.stream().map(HistogramChart::view).toList());
            weights.getChildren().clear();
            for (int j = 0; j < gradientCharts.size(); j++) {
                weights.getChildren().addAll(gradientCharts.get(j).view(), updateCharts.get(j).view());
            }
        }
        for (int i = 0; i < hidden.size(); i++) {
            LayerStatistics.Output o = hidden.get(i);
            String extra = o.rectifier() ? String.format(Locale.ROOT, ", dead %.0f%%", 100 * o.dead())
                    : o.squashing() ? String.format(Locale.ROOT, ", sat. %.0f%%", 100 * o.saturated()) : "";
            activationCharts.get(i).set(o.values(), "mean " + Numbers.significant(o.mean(), 2) + ", std "
                    + Numbers.significant(o.std(), 2) + extra);
        }
        for (int j = 0; j < last.weights().size(); j++) {
            LayerStatistics.Gradient w = last.weights().get(j);
            gradientCharts.get(j).set(w.gradient(), "mean |dW| " + Numbers.significant(w.meanAbsGradient(), 2));
            updateCharts.get(j).set(w.update(), w.update().equals(Histogram.NONE) ? "no update measured"
                    : "mean |update| / mean |W| " + Numbers.significant(w.updateRatio(), 2));
        }
    }

    /** Six to a row within the dialog's width, a title with batch norm's "(before batch norm)" on one line. */
    private static HistogramChart sized(HistogramChart c) {
        c.view().setPrefSize(196, 112);
        return c;
    }

    /** The activation histograms now shown, in layer order (tests). */
    public List<HistogramChart> activationCharts() {
        return List.copyOf(activationCharts);
    }

    /** The gradient histograms now shown, in weight order (tests). */
    public List<HistogramChart> gradientCharts() {
        return List.copyOf(gradientCharts);
    }

    /** The update histograms now shown, in weight order (tests). */
    public List<HistogramChart> updateCharts() {
        return List.copyOf(updateCharts);
    }

    /** The series of the mean chart, one per hidden layer (tests). */
    public int layerSeries() {
        return means.getSeriesCount();
    }
}
