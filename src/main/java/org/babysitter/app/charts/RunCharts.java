package org.babysitter.app.charts;

import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.babysitter.app.session.ComparedRun;
import org.babysitter.app.session.RunObserver;
import org.babysitter.app.session.UiPump;
import org.babysitter.engine.Numbers;
import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.diagnosis.Rule;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYDifferenceRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The three live charts of a run, fed in batches on the FX thread as a {@link RunObserver}: (1) loss per iteration,
 * raw and smoothed (exponential moving average), with a dashed chance line at the chance loss and an optional log
 * axis; (2) train and validation accuracy per epoch with the gap between them shaded; (3) norm(update)/norm(W) per
 * layer on a log axis with the 1e-4..1e-2 band around the 1e-3 target. Every mid-run change of lr or reg is a
 * labelled marker on all three ({@link ChartMarks}). A batch's data waits with the charts' notifications held until
 * the pump's next frame ({@link UiPump#requestFrame()}, at most two a second); a pause or the end of a run draws at
 * once. Axes label readable values at any size ({@link ReadableNumberAxis}, {@link ReadableLogAxis}); the same
 * charts, copied and drawn at an image's scale with a caption naming the run, are the exports ({@link #exportCopy}).
 */
public final class RunCharts implements RunObserver {
    /** Points a displayed series keeps at most before merging neighbours. */
    public static final int MAX_POINTS = 1000;
    /** The accuracy axis's full scale: 0 to 1 with a margin above, so a train accuracy of 1.0 stays in sight. */
    public static final Range ACCURACY_RANGE = new Range(0, 1.05);

    private final XYSeriesCollection lossData = new XYSeriesCollection();
    private final DecimatedSeries lossRaw = new DecimatedSeries("loss", MAX_POINTS);
    private final DecimatedSeries lossSmooth = new DecimatedSeries("smoothed", MAX_POINTS);
    private final XYSeries trainAcc = new XYSeries("train", false, true);
    private final XYSeries valAcc = new XYSeries("val", false, true);
    private final XYSeriesCollection ratioData = new XYSeriesCollection();
    /** Points a compared run's series keeps at most: eight runs of many layers stay a few thousand points a chart. */
    static final int MAX_COMPARED_POINTS = 500;
    /**
     * The stored runs compared with the live one (their smoothed losses; accuracies; update ratios): each chart's
     * second dataset, which reset() leaves.
     */
    private final XYSeriesCollection comparedLoss = new XYSeriesCollection();
    private final XYSeriesCollection comparedAccuracy = new XYSeriesCollection();
    private final XYSeriesCollection comparedRatios = new XYSeriesCollection();
    /** The runs drawn beside the live one: their smoothed losses are drawn again when the smoothing changes. */
    private List<ComparedRun> compared = List.of();
    /** Each compared run's colour ({@link ChartStyle#COMPARED}), by id: kept while it is compared. */
    private final Map<Long, Integer> slots = new java.util.HashMap<>();
    private final List<DecimatedSeries> ratios = new ArrayList<>();
    private final Map<ChartKind, JFreeChart> charts = new EnumMap<>(ChartKind.class);
    private final Map<ChartKind, ChartView> viewers = new EnumMap<>(ChartKind.class);
    private final Map<ChartKind, ChartMarks> marks = new EnumMap<>(ChartKind.class);
    /** The scale each chart is styled at now. */
    private final Map<ChartKind, Float> scales = new EnumMap<>(ChartKind.class);
    private final List<String> markerLabels = new ArrayList<>();
    private double[] rawLosses = new double[1024];
    private int rawCount;
    private double smoothing = 0.9;
    private double ema;
    private boolean logLoss;
    private boolean presentation;
    private int iterationsPerEpoch = 1;
    private final java.util.Set<JFreeChart> dirty = new java.util.LinkedHashSet<>();
    private final UiPump pump;

    /** FX thread: the charts, drawn at the frames of {@code pump}. */
    public RunCharts(UiPump pump) {
        this.pump = pump;
        pump.addFrameListener(this::redraw);
        lossData.addSeries(lossRaw.series());
        lossData.addSeries(lossSmooth.series());
        for (ChartKind k : ChartKind.values()) {
            marks.put(k, new ChartMarks());
        }
        charts.put(ChartKind.LOSS, lossChart());
        charts.put(ChartKind.ACCURACY, accuracyChart());
        charts.put(ChartKind.UPDATE_RATIOS, ratioChart());
        for (ChartKind k : ChartKind.values()) {
            ChartView v = new ChartView(charts.get(k));
            v.setId("chart-" + k.fileName());
            v.setOnResize(() -> restyle(k, false));
            viewers.put(k, v);
        }
        viewers.get(ChartKind.ACCURACY).setRestore(() -> ChartView.changeAxes(charts.get(ChartKind.ACCURACY).getXYPlot(), plot -> {
            plot.getDomainAxis().setAutoRange(true);
            plot.getRangeAxis().setRange(ACCURACY_RANGE); // accuracy keeps its full scale
        }));
        for (ChartKind k : ChartKind.values()) {
            findingAt.put(k, new java.util.HashMap<>());
            viewers.get(k).addEventHandler(javafx.scene.input.MouseEvent.MOUSE_CLICKED, e -> {
                Finding f = e.isStillSincePress() ? findingAt(k, e.getX(), e.getY()) : null;
                if (f != null) {
                    onFindingClicked.accept(f);
                }
            });
        }
        ChartHover.install(viewers.get(ChartKind.LOSS), "iteration", y -> String.format(Locale.ROOT, "%.4f", y));
        ChartHover.install(viewers.get(ChartKind.ACCURACY), "epoch", y -> String.format(Locale.ROOT, "%.3f", y));
        ChartHover.install(viewers.get(ChartKind.UPDATE_RATIOS), "iteration", y -> String.format(Locale.ROOT, "%.2e", y));
        restyle();
    }

    private JFreeChart lossChart() {
        LinesRenderer r = new LinesRenderer();
        r.setSeriesPaint(0, ChartStyle.LOSS_RAW);
        r.setSeriesPaint(1, ChartStyle.LOSS_SMOOTH);
        XYPlot plot = new XYPlot(lossData, new ReadableNumberAxis("iteration", true), linearLossAxis(), r);
        addComparedLayer(plot, comparedLoss);
        plot.addAnnotation(marks.get(ChartKind.LOSS));
        setChance(Math.log(10), "ln(10) = 2.303");
        return new JFreeChart(ChartKind.LOSS.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static ValueAxis linearLossAxis() {
        ReadableNumberAxis y = new ReadableNumberAxis("loss", false);
        y.setAutoRangeIncludesZero(false);
        return y;
    }

    private void setChance(double value, String label) {
        marks.get(ChartKind.LOSS).setLevels(List.of(
                new ChartMarks.Level(value, "chance: " + label, ChartStyle.CHANCE, 1.5f, true, false)));
    }

    private JFreeChart accuracyChart() {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(trainAcc);
        data.addSeries(valAcc);
        ReadableNumberAxis x = new ReadableNumberAxis("epoch", true);
        ReadableNumberAxis y = new ReadableNumberAxis("accuracy", false);
        y.setRange(ACCURACY_RANGE);
        XYDifferenceRenderer r = new XYDifferenceRenderer(new java.awt.Color(220, 110, 20, 60),
                new java.awt.Color(30, 120, 60, 60), true);
        r.setSeriesPaint(0, ChartStyle.TRAIN);
        r.setSeriesPaint(1, ChartStyle.VAL);
        XYPlot plot = new XYPlot(data, x, y, r);
        addComparedLayer(plot, comparedAccuracy);
        marks.get(ChartKind.ACCURACY).setLabelsAtBottom(true); // the curves climb to the top
        plot.addAnnotation(marks.get(ChartKind.ACCURACY));
        return new JFreeChart(ChartKind.ACCURACY.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private JFreeChart ratioChart() {
        ReadableLogAxis y = new ReadableLogAxis("norm(update) / norm(W)", AxisTicks.LogStyle.POWER);
        y.setShortLabel("update / W");
        y.setSmallestValue(1e-12);
        y.setDefaultAutoRange(new Range(1e-5, 1e-1)); // before the first step: the band and its target
        XYPlot plot = new XYPlot(ratioData, new ReadableNumberAxis("iteration", true), y, new LinesRenderer());
        addComparedLayer(plot, comparedRatios);
        IntervalMarker band = new IntervalMarker(1e-4, 1e-2);
        band.setPaint(ChartStyle.BAND);
        plot.addRangeMarker(band, Layer.BACKGROUND);
        ChartMarks m = marks.get(ChartKind.UPDATE_RATIOS);
        m.setLevels(List.of(
                new ChartMarks.Level(1e-2, "1e-4 .. 1e-2", null, 0f, false, true),
                new ChartMarks.Level(1e-3, "target 1e-3", ChartStyle.VAL, 1.2f, true, false)));
        plot.addAnnotation(m);
        return new JFreeChart(ChartKind.UPDATE_RATIOS.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    /**
     * The compared runs' layer of a plot: its own dataset and renderer (the accuracy chart's difference renderer shades
     * between exactly two series), drawn behind the run's own lines, in the legend after them.
     */
    private static void addComparedLayer(XYPlot plot, XYSeriesCollection data) {
        plot.setDataset(1, data);
        LinesRenderer r = new LinesRenderer();
        // one legend entry a run, its label; the line's own name (its "val", say) is in the hover
        r.setLegendItemLabelGenerator((d, series) -> d.getSeriesKey(series) instanceof CompareKey k ? k.label()
                : d.getSeriesKey(series).toString());
        plot.setRenderer(1, r);
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.REVERSE); // dataset 1 drawn first: under
    }

    /** Which line of a compared run a series is. */
    enum Line { LOSS, TRAIN, VAL, RATIO }

    /**
     * A compared run's series key: the hover shows {@link #toString()}, the legend its label, once a run (its validation
     * accuracy and its ratio series after the first stay out of it); the style reads the run's colour slot and the line
     * from it (an export's copy of the data keeps it).
     */
    record CompareKey(String label, int slot, Line line, String part, boolean inLegend) implements Comparable<CompareKey> {
        @Override
        public int compareTo(CompareKey o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return line == Line.TRAIN ? label + " train" : line == Line.VAL ? label + " val" : label;
        }
    }

    /**
     * Draws {@code runs} beside the live run (empty: none), each in its colour: its loss smoothed as the run's is,
     * its train (dashed) and validation (dotted) accuracy per epoch, its update ratio per weight (dotted, one legend
     * entry), each up to its {@link ComparedRun#untilIteration()}, named by its label. New runs and resets leave them.
     * A run keeps its colour while it stays compared.
     */
    public void setCompared(List<ComparedRun> runs) {
        List<ComparedRun> now = List.copyOf(runs);
        slots.keySet().retainAll(now.stream().map(ComparedRun::id).toList());
        withoutNotify(() -> {
            comparedLoss.removeAllSeries();
            comparedAccuracy.removeAllSeries();
            comparedRatios.removeAllSeries();
            compared = now;
            for (ComparedRun run : now) {
                int slot = slotOf(run.id());
                comparedLoss.addSeries(smoothedLoss(run, slot).series());
                int epochs = run.epochsDrawn();
                XYSeries train = new XYSeries(new CompareKey(run.label(), slot, Line.TRAIN, "", true), false, true);
                XYSeries val = new XYSeries(new CompareKey(run.label(), slot, Line.VAL, "", false), false, true);
                for (int i = 0; i < epochs; i++) {
                    train.add(run.epochs()[i], run.train()[i], false);
                    if (!Double.isNaN(run.val()[i])) {
                        val.add(run.epochs()[i], run.val()[i], false);
                    }
                }
                comparedAccuracy.addSeries(train);
                comparedAccuracy.addSeries(val);
                int n = run.iterationsDrawn();
                for (int w = 0; w < run.weightNames().size(); w++) {
                    DecimatedSeries ratio = new DecimatedSeries(new CompareKey(run.label(), slot, Line.RATIO,
                            run.weightNames().get(w), w == 0), MAX_COMPARED_POINTS);
                    for (int i = 0; i < n; i++) {
                        ratio.add(run.iterations()[i], run.ratios()[w][i]);
                    }
                    ratio.publish();
                    comparedRatios.addSeries(ratio.series());
                }
            }
        });
        restyle();
    }

    /** Run {@code run}'s loss up to its cut, smoothed as the live run's is (afresh past a NaN or infinite loss). */
    private DecimatedSeries smoothedLoss(ComparedRun run, int slot) {
        DecimatedSeries loss = new DecimatedSeries(new CompareKey(run.label(), slot, Line.LOSS, "", true), MAX_COMPARED_POINTS);
        double average = 0;
        int from = 0;
        for (int i = 0; i < run.iterationsDrawn(); i++) {
            double l = run.losses()[i];
            if (Double.isNaN(l) || Double.isInfinite(l)) {
                from = i + 1; // as after a rewind: the average starts afresh past the break
                average = 0;
                continue;
            }
            average = smoothing * average + (1 - smoothing) * l;
            loss.add(run.iterations()[i], average / (1 - Math.pow(smoothing, i + 1 - from)));
        }
        loss.publish();
        return loss;
    }

    /** The colour slot of compared run {@code id}: its own while compared, else the first free one. */
    private int slotOf(long id) {
        Integer s = slots.get(id);
        if (s != null) {
            return s;
        }
        int free = 0;
        while (slots.containsValue(free)) {
            free++;
        }
        slots.put(id, free);
        return free;
    }

    /** The colour run {@code id} is drawn in when compared (the runs panel's swatch); assigns it one if it has none. */
    public javafx.scene.paint.Color comparedColour(long id) {
        java.awt.Color c = ChartStyle.COMPARED[slotOf(id) % ChartStyle.COMPARED.length];
        return javafx.scene.paint.Color.rgb(c.getRed(), c.getGreen(), c.getBlue());
    }

    /** The compared runs' labels, in the order drawn. */
    public List<String> comparedLabels() {
        return compared.stream().map(ComparedRun::label).toList();
    }

    /** Points the compared runs draw on chart {@code kind} (all their series), 0 if none. */
    public int comparedPoints(ChartKind kind) {
        XYSeriesCollection data = kind == ChartKind.LOSS ? comparedLoss : kind == ChartKind.ACCURACY ? comparedAccuracy : comparedRatios;
        int n = 0;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            n += data.getSeries(i).getItemCount();
        }
        return n;
    }

    /** Clears every series and marker and restores every chart's zoom (a new run or a reset). */
    public void reset() {
        divergedAt = -1;
        rewoundAt.clear();
        findingAt.values().forEach(Map::clear);
        withoutNotify(() -> {
            lossRaw.clear();
            lossSmooth.clear();
            trainAcc.clear();
            valAcc.clear();
            ratioData.removeAllSeries();
            ratios.clear();
            rawCount = 0;
            ema = 0;
            emaFrom = 0;
            emaStarts.clear();
            markerLabels.clear();
            marks.values().forEach(ChartMarks::clearChanges);
            viewers.values().forEach(ChartView::restoreZoom); // a new run is shown whole, not in the last one's zoom
        });
    }

    @Override
    public void cleared() {
        reset();
    }

    @Override
    public void settled() {
        redraw();
    }

    /** A run started: one ratio series per weight, the chance line at ln(C). */
    @Override
    public void started(RunEvent.Started s) {
        reset();
        iterationsPerEpoch = s.iterationsPerEpoch();
        withoutNotify(() -> {
            for (String name : s.weightNames()) {
                DecimatedSeries d = new DecimatedSeries(name, MAX_POINTS);
                ratios.add(d);
                ratioData.addSeries(d.series());
            }
            setChance(s.chanceLoss(), s.chanceLabel());
        });
        restyle();
    }

    /** Draws the charts that changed since the last frame. */
    public void redraw() {
        for (JFreeChart c : dirty) {
            c.setNotify(true); // fires one change: the viewer draws once
        }
        dirty.clear();
    }

    /** Appends a batch of metrics and markers; the charts it touches are drawn at the next frame. */
    @Override
    public void append(List<IterationMetrics> iterations, List<EpochMetrics> epochs, List<RunEvent.ControlChanged> changes) {
        if (iterations.isEmpty() && epochs.isEmpty() && changes.isEmpty()) {
            return;
        }
        // only the charts this batch touches redraw: the accuracy chart changes once an epoch
        List<JFreeChart> touched = new ArrayList<>();
        if (!iterations.isEmpty() || !changes.isEmpty()) {
            touched.add(charts.get(ChartKind.LOSS));
            touched.add(charts.get(ChartKind.UPDATE_RATIOS));
        }
        if (!epochs.isEmpty() || !changes.isEmpty()) {
            touched.add(charts.get(ChartKind.ACCURACY));
        }
        holdUntilRedraw(touched, () -> {
            for (IterationMetrics m : iterations) {
                addLoss(m.iteration(), m.loss());
                List<Double> r = m.updateRatios();
                for (int i = 0; i < Math.min(r.size(), ratios.size()); i++) {
                    ratios.get(i).add(m.iteration(), r.get(i));
                }
            }
            for (EpochMetrics e : epochs) {
                trainAcc.add(e.epoch(), e.trainAccuracy(), false);
                if (!Double.isNaN(e.valAccuracy())) {
                    valAcc.add(e.epoch(), e.valAccuracy(), false);
                }
            }
            if (!epochs.isEmpty()) {
                // a dot per epoch while they are few; hundreds of dots would only thicken the lines
                ((XYDifferenceRenderer) charts.get(ChartKind.ACCURACY).getXYPlot().getRenderer())
                        .setShapesVisible(trainAcc.getItemCount() <= 40);
            }
            for (RunEvent.ControlChanged c : changes) {
                addMarker(c);
            }
            // adds did not notify: one change per touched series lets the axes re-range, and the
            // chart (notify off until the end of this batch) redraws once
            if (!epochs.isEmpty()) {
                trainAcc.fireSeriesChanged();
                valAcc.fireSeriesChanged();
            }
            if (!iterations.isEmpty()) {
                lossRaw.publish();
                lossSmooth.publish();
                ratios.forEach(DecimatedSeries::publish);
            }
        });
    }

    /** The iteration the run diverged at (its marker is drawn), or -1. */
    private int divergedAt = -1;

    private void addLoss(int iteration, double loss) {
        if (rawCount == rawLosses.length) {
            rawLosses = Arrays.copyOf(rawLosses, rawCount * 2);
        }
        rawLosses[rawCount++] = loss;
        lossRaw.add(iteration, loss);
        ema = smoothing * ema + (1 - smoothing) * loss;
        lossSmooth.add(iteration, ema / (1 - Math.pow(smoothing, rawCount - emaFrom)));
    }

    /** Where the moving average last started afresh (a rewind), as a count of raw losses before it. */
    private int emaFrom;
    /** Every such start, for a recomputation. */
    private final java.util.BitSet emaStarts = new java.util.BitSet();

    /** The moving average starts afresh after a rewind: the break's loss (NaN, say) is no part of the values gone back to. */
    private void restartAverage() {
        emaFrom = rawCount;
        emaStarts.set(rawCount);
        ema = 0;
    }

    /** A marker on the loss chart where the run diverged, naming the loss that ended it (the curve may average it away). */
    @Override
    public void diverged(RunEvent.Diverged d) {
        String loss = Double.isNaN(d.loss()) ? "NaN" : Double.isInfinite(d.loss()) ? "infinite" : Numbers.significant(d.loss(), 3);
        String label = "diverged at iteration " + d.iteration() + ": loss " + loss;
        divergedAt = d.iteration();
        markerLabels.add(label);
        holdUntilRedraw(List.of(charts.get(ChartKind.LOSS)), () -> marks.get(ChartKind.LOSS).addChange(new ChartMarks.Change(
                d.iteration(), label, "diverged: " + loss)));
    }

    /** A marker on the loss chart where the loss broke and the run went back to its last good state. */
    @Override
    public void rewound(RunEvent.Rewound r) {
        String loss = Double.isNaN(r.loss()) ? "NaN" : Double.isInfinite(r.loss()) ? "infinite" : Numbers.significant(r.loss(), 3);
        String label = "broke at iteration " + r.iteration() + ": loss " + loss + "; back to iteration " + r.toIteration();
        markerLabels.add(label);
        rewoundAt.add(r.iteration());
        restartAverage();
        holdUntilRedraw(List.of(charts.get(ChartKind.LOSS)), () -> marks.get(ChartKind.LOSS).addChange(new ChartMarks.Change(
                r.iteration(), label, "broke: " + loss)));
    }

    /** Iterations where the loss broke and the run rewound (their markers are drawn). */
    private final java.util.Set<Integer> rewoundAt = new java.util.HashSet<>();
    /** Per chart, the warning at each marker's x: a click on the marker selects it ({@link #setOnFindingClicked}). */
    private final Map<ChartKind, Map<Double, Finding>> findingAt = new EnumMap<>(ChartKind.class);
    private java.util.function.Consumer<Finding> onFindingClicked = f -> { };

    /** What a click on a warning's marker (or on the divergence or rewind it explains) does with its finding. */
    public void setOnFindingClicked(java.util.function.Consumer<Finding> action) {
        onFindingClicked = action;
    }

    /** The warning whose marker is at the pointer (x, y) on chart {@code k} in the last drawn frame, or null. */
    Finding findingAt(ChartKind k, double x, double y) {
        for (ChartMarks.Change c : marks.get(k).at(x, y, ChartHover.MARKER_TOLERANCE)) {
            Finding f = findingAt.get(k).get(c.x());
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /**
     * A marker where the assistant warned, on the chart its rule reads (accuracy rules on the accuracy chart, ratio
     * rules on the ratio chart, the rest on the loss chart); the full finding is in the marker's hover. Notes get no
     * marker, nor a divergence already marked.
     */
    @Override
    public void said(Finding f) {
        if (f.severity() != Finding.Severity.WARNING) {
            return;
        }
        boolean suppressed = (f.rule() == Rule.LR_TOO_HIGH && f.iteration() == divergedAt)
                || (f.fix().resumes() && rewoundAt.contains(f.iteration()));
        ChartKind k = switch (f.rule()) {
            case OVERFITTING, UNDER_CAPACITY, VAL_STALLED, FLAT_LOSS_RISING_ACCURACY -> ChartKind.ACCURACY;
            case UPDATE_RATIO -> ChartKind.UPDATE_RATIOS;
            default -> ChartKind.LOSS;
        };
        double x = k == ChartKind.ACCURACY ? (double) f.iteration() / iterationsPerEpoch : f.iteration();
        findingAt.get(k).put(x, f);
        if (suppressed) {
            return; // the divergence's or the rewind's marker stands at its place, and a click on it selects it
        }
        String label = "assistant: " + f.rule().title() + " (" + f.subject() + "): " + f.measured();
        markerLabels.add(label);
        holdUntilRedraw(List.of(charts.get(k)), () -> marks.get(k).addChange(new ChartMarks.Change(x, label, f.rule().title())));
    }

    private void addMarker(RunEvent.ControlChanged c) {
        String label = c.label();
        markerLabels.add(label);
        String shortLabel = c.control().shortName() + " " + Numbers.significant(c.to(), 2);
        double atIteration = c.iteration() + 0.5;
        for (ChartKind k : ChartKind.values()) {
            double x = k == ChartKind.ACCURACY ? atIteration / iterationsPerEpoch : atIteration;
            marks.get(k).addChange(new ChartMarks.Change(x, label, shortLabel));
        }
    }

    /** Smoothing weight of the moving average, 0 (none) .. 0.999; recomputed over the whole run. */
    public void setSmoothing(double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new IllegalArgumentException("smoothing must be in [0, 1), got " + weight);
        }
        smoothing = weight;
        withoutNotify(() -> {
            lossSmooth.clear();
            ema = 0;
            int from = 0;
            for (int i = 0; i < rawCount; i++) {
                if (emaStarts.get(i)) {
                    from = i;
                    ema = 0;
                }
                ema = smoothing * ema + (1 - smoothing) * rawLosses[i];
                lossSmooth.add(i + 1, ema / (1 - Math.pow(smoothing, i + 1 - from)));
            }
            lossSmooth.publish();
        });
        if (!compared.isEmpty()) {
            setCompared(compared); // the compared runs are smoothed as the run is
        }
    }

    public double smoothing() {
        return smoothing;
    }

    /** Log or linear loss axis. */
    public void setLogLoss(boolean log) {
        logLoss = log;
        XYPlot plot = charts.get(ChartKind.LOSS).getXYPlot();
        ValueAxis axis;
        if (log) {
            ReadableLogAxis a = new ReadableLogAxis("loss (log scale)", AxisTicks.LogStyle.PLAIN_OR_POWER);
            a.setShortLabel("loss");
            a.setSmallestValue(1e-6);
            axis = a;
        } else {
            axis = linearLossAxis();
        }
        plot.setRangeAxis(axis);
        restyle();
    }

    public boolean logLoss() {
        return logLoss;
    }

    /** Larger fonts and thicker lines for a projector. */
    public void setPresentation(boolean on) {
        presentation = on;
        restyle();
    }

    /** The scale a chart is drawn at in the window: 1, or in presentation mode as large as its size allows. */
    public float scale(ChartKind kind) {
        return scales.getOrDefault(kind, 1f);
    }

    private void restyle() {
        for (ChartKind k : ChartKind.values()) {
            restyle(k, true);
        }
    }

    /** Styles a chart for the mode and its view's size; unless {@code always}, only if its scale changes. */
    private void restyle(ChartKind k, boolean always) {
        ChartView v = viewers.get(k);
        float scale = ChartStyle.windowScale(presentation, v == null ? 0 : v.getWidth(), v == null ? 0 : v.getHeight());
        if (!always && Float.valueOf(scale).equals(scales.get(k))) {
            return;
        }
        scales.put(k, scale);
        JFreeChart c = charts.get(k);
        boolean notify = c.isNotify();
        c.setNotify(false); // one redraw for all the changes, not one each; held data stays held
        try {
            style(k, c, scale, presentation);
        } finally {
            if (notify) {
                c.setNotify(true);
            }
        }
    }

    /**
     * Fonts, gaps and every line of a chart of this kind (the live one or an export's copy) at {@code scale}; the
     * legend right of the plot if {@code compact} (presentation mode in the window), else under it.
     */
    static void style(ChartKind kind, JFreeChart chart, float scale, boolean compact) {
        ChartStyle.apply(chart, scale, compact);
        XYPlot plot = chart.getXYPlot();
        XYItemRenderer r = plot.getRenderer();
        int n = plot.getDataset() == null ? 0 : plot.getDataset().getSeriesCount();
        for (int i = 0; i < Math.max(n, 2); i++) {
            boolean emphasis = !(kind == ChartKind.LOSS && i == 0);
            ChartStyle.strokeSeries(r, i, scale, emphasis, kind != ChartKind.ACCURACY);
            if (kind == ChartKind.UPDATE_RATIOS) {
                r.setSeriesPaint(i, ChartStyle.LAYERS[i % ChartStyle.LAYERS.length]);
            }
        }
        // the compared runs: thin, each in its colour; train dashed, val and ratios dotted
        if (plot.getDatasetCount() > 1 && plot.getDataset(1) != null && plot.getRenderer(1) != null) {
            XYItemRenderer cr = plot.getRenderer(1);
            for (int i = 0; i < plot.getDataset(1).getSeriesCount(); i++) {
                if (plot.getDataset(1).getSeriesKey(i) instanceof CompareKey key) {
                    cr.setSeriesPaint(i, ChartStyle.COMPARED[key.slot() % ChartStyle.COMPARED.length]);
                    float w = ChartStyle.lineWidth(scale, false) * (key.line() == Line.RATIO ? 1.2f : 1.4f);
                    cr.setSeriesStroke(i, key.line() == Line.LOSS || key.line() == Line.TRAIN ? ChartStyle.dashed(w) : ChartStyle.dotted(w));
                    cr.setSeriesVisibleInLegend(i, key.inLegend());
                }
            }
        }
        if (kind == ChartKind.ACCURACY) {
            double d = 6 * scale;
            r.setSeriesShape(0, new Ellipse2D.Double(-d / 2, -d / 2, d, d));
            r.setSeriesShape(1, new Rectangle2D.Double(-d / 2, -d / 2, d, d));
        }
    }

    /**
     * A copy of a chart for an image of {@code width} x {@code height}: its own data, fonts and lines at the image's
     * scale ({@link ChartStyle#exportScale}, whatever the window's mode), anti-aliased, with {@code caption} (the run:
     * data, net, rule, lr, reg, seed) in a line below. FX thread; the copy may be drawn on any thread.
     */
    JFreeChart exportCopy(ChartKind kind, String caption, int width, int height) {
        JFreeChart copy = ChartExport.snapshot(charts.get(kind));
        ChartExport.addCaption(copy, caption);
        style(kind, copy, ChartStyle.exportScale(width, height), false);
        copy.setAntiAlias(true);
        copy.setTextAntiAlias(true);
        return copy;
    }

    private void withoutNotify(Runnable r) {
        withoutNotify(charts.values(), r);
        dirty.clear();
    }

    /** Runs {@code r} with the charts' notifications held; they fire at the next {@link #redraw()}. */
    private void holdUntilRedraw(java.util.Collection<JFreeChart> which, Runnable r) {
        for (JFreeChart c : which) {
            c.setNotify(false);
            dirty.add(c);
        }
        pump.requestFrame();
        r.run();
    }

    /** Runs {@code r} with the charts' notifications held, then lets each of them redraw once. */
    private static void withoutNotify(java.util.Collection<JFreeChart> which, Runnable r) {
        for (JFreeChart c : which) {
            c.setNotify(false);
        }
        try {
            r.run();
        } finally {
            for (JFreeChart c : which) {
                c.setNotify(true);
            }
        }
    }

    public JFreeChart chart(ChartKind kind) {
        return charts.get(kind);
    }

    public ChartView viewer(ChartKind kind) {
        return viewers.get(kind);
    }

    /** Iterations of loss received this run. */
    public int lossCount() {
        return rawCount;
    }

    /** The smoothed loss drawn at the last point at or before {@code iteration} (tests). */
    double smoothedAt(int iteration) {
        XYSeries s = lossSmooth.series();
        double y = Double.NaN;
        for (int i = 0; i < s.getItemCount() && s.getX(i).doubleValue() <= iteration; i++) {
            y = s.getY(i).doubleValue();
        }
        return y;
    }

    /** Points the loss chart draws (at most {@link #MAX_POINTS}). */
    public int lossPointsDrawn() {
        return lossRaw.series().getItemCount();
    }

    /** Labels of the control markers, in order. */
    public List<String> markerLabels() {
        return List.copyOf(markerLabels);
    }

    /** Markers drawn on a chart. */
    public int markerCount(ChartKind kind) {
        return marks.get(kind).changes().size();
    }

    /** The reference lines and control markers of a chart. */
    ChartMarks marks(ChartKind kind) {
        return marks.get(kind);
    }


}
