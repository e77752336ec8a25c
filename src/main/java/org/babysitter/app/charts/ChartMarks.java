package org.babysitter.app.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.util.PublicCloneable;

/**
 * The labelled lines of a chart, drawn over the data with every label inside the plot: horizontal reference lines
 * (the chance loss, the 1e-3 target) and vertical control markers (each mid-run change of lr or reg).
 * <p>
 * A reference line's label sits at the plot's edge above its line, or below it where the line runs close to the top.
 * Marker labels are laid out together ({@link #layout}): right of their line, else left of it, in the first of up to
 * three rows at the top where they overlap nothing (another label, a reference line or its label); else shortened ("lr 5e-5" for "lr 1e-4 -> 5e-5"); else left out.
 * The full text of every marker is in the hover ({@link #describe}). Labels have a white backing so they read over
 * the data. Sizes follow {@link #setScale}: fonts and dashes grow with an exported image and in presentation mode.
 * <p>
 * Kept as one plot annotation, not as JFreeChart markers: a plot's copy ({@link ChartExport#snapshot}) gets its own
 * copy of its annotations, where its markers' lists would be shared with the live chart.
 */
final class ChartMarks extends AbstractXYAnnotation implements Cloneable, PublicCloneable {
    private static final long serialVersionUID = 1L;
    /** Most rows of marker labels at the top of a plot. */
    static final int MAX_ROWS = 3;
    /** Behind a label: white enough to read it over grid and data, clear enough to see a line it covers. */
    private static final Color BACKING = new Color(255, 255, 255, 180);

    /**
     * A horizontal line at {@code value} with a label at the plot's left or right edge.
     *
     * @param paint null: no line, only the label (the band's)
     * @param below the label goes below the line if it can (inside a band whose top the line is)
     */
    record Level(double value, String label, Color paint, float width, boolean right, boolean below) {
    }

    /** A vertical control marker at {@code x}: its label and a shorter one for a crowded chart. */
    record Change(double x, String label, String shortLabel) {
    }

    /** Where a marker label went: its box, and whether it is the short text; null for a label left out. */
    record Placed(Rectangle2D box, boolean shortText) {
    }

    private List<Level> levels = new ArrayList<>();
    private List<Change> changes = new ArrayList<>();
    private float scale = 1f;
    private boolean labelsAtBottom;
    /** From the last draw, for the hover: each change's line (NaN: not visible) and its label (null: none). */
    private transient double[] drawnX = new double[0];
    private transient Placed[] drawnLabels = new Placed[0];
    private transient List<Rectangle2D> drawnLevels = new ArrayList<>();

    void setLevels(List<Level> levels) {
        this.levels = new ArrayList<>(levels);
        fireAnnotationChanged();
    }

    List<Level> levels() {
        return List.copyOf(levels);
    }

    void addChange(Change change) {
        changes.add(change);
        fireAnnotationChanged();
    }

    void clearChanges() {
        if (!changes.isEmpty()) {
            changes.clear();
            fireAnnotationChanged();
        }
    }

    List<Change> changes() {
        return List.copyOf(changes);
    }

    /**
     * Marker labels in rows up from the bottom of the plot instead of down from the top: for the accuracy chart,
     * whose curves climb to the top.
     */
    void setLabelsAtBottom(boolean atBottom) {
        this.labelsAtBottom = atBottom;
        fireAnnotationChanged();
    }

    /** 1 for the window's normal size; fonts, dashes and gaps grow with it. */
    void setScale(float scale) {
        if (this.scale != scale) {
            this.scale = scale;
            fireAnnotationChanged();
        }
    }

    float scale() {
        return scale;
    }

    Font font() {
        return new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(11 * scale));
    }

    @Override
    public void draw(Graphics2D g2, XYPlot plot, Rectangle2D area, ValueAxis domainAxis, ValueAxis rangeAxis,
                     int rendererIndex, PlotRenderingInfo info) {
        RectangleEdge xEdge = plot.getDomainAxisEdge();
        RectangleEdge yEdge = plot.getRangeAxisEdge();
        Font font = font();
        g2.setFont(font);
        FontMetrics fm = g2.getFontMetrics(font);
        double pad = 3 * scale;
        double textHeight = fm.getAscent() + fm.getDescent();
        double boxHeight = textHeight + 2 * pad / 1.5;
        List<Rectangle2D> taken = new ArrayList<>();
        List<Rectangle2D> levelBoxes = new ArrayList<>();
        List<Double> lineYs = new ArrayList<>();

        // lines first, labels over them
        for (Level l : levels) {
            if (l.paint() != null && rangeAxis.getRange().contains(l.value())) {
                double y = rangeAxis.valueToJava2D(l.value(), area, yEdge);
                g2.setPaint(l.paint());
                g2.setStroke(ChartStyle.dashed(l.width() * scale));
                g2.draw(new Line2D.Double(area.getMinX(), y, area.getMaxX(), y));
                taken.add(new Rectangle2D.Double(area.getMinX(), y - 1, area.getWidth(), 2)); // no label across it
                lineYs.add(y);
            }
        }
        double[] xs = new double[changes.size()];
        g2.setPaint(ChartStyle.MARKER);
        g2.setStroke(ChartStyle.dashed(1f * scale));
        for (int i = 0; i < xs.length; i++) {
            double x = changes.get(i).x();
            xs[i] = domainAxis.getRange().contains(x) ? domainAxis.valueToJava2D(x, area, xEdge) : Double.NaN;
            if (!Double.isNaN(xs[i])) {
                g2.draw(new Line2D.Double(xs[i], area.getMinY(), xs[i], area.getMaxY()));
            }
        }

        for (Level l : levels) {
            if (!rangeAxis.getRange().contains(l.value())) {
                levelBoxes.add(null);
                continue;
            }
            double y = rangeAxis.valueToJava2D(l.value(), area, yEdge);
            double w = fm.stringWidth(l.label()) + 2 * pad;
            Rectangle2D box = levelBox(area, y, w, boxHeight, pad, l.right(), l.below());
            if (overlaps(box, taken)) {
                // across another reference line or label: the other side of its line, else (a band's label, no line
                // of its own) left out
                Rectangle2D other = levelBox(area, y, w, boxHeight, pad, l.right(), !l.below());
                box = !overlaps(other, taken) ? other : l.paint() == null ? null : box;
            }
            if (box != null) {
                label(g2, fm, l.label(), box, pad, l.paint() == null ? ChartStyle.BAND_TEXT : l.paint());
                taken.add(box);
            }
            levelBoxes.add(box);
        }

        double[] full = new double[xs.length];
        double[] brief = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            full[i] = fm.stringWidth(changes.get(i).label()) + 2 * pad;
            brief[i] = fm.stringWidth(changes.get(i).shortLabel()) + 2 * pad;
        }
        Placed[] placed = layout(xs, full, brief, boxHeight, area, pad, taken,
                lineYs.stream().mapToDouble(Double::doubleValue).toArray(), labelsAtBottom);
        for (int i = 0; i < placed.length; i++) {
            if (placed[i] != null) {
                Change c = changes.get(i);
                label(g2, fm, placed[i].shortText() ? c.shortLabel() : c.label(), placed[i].box(), pad, ChartStyle.MARKER);
            }
        }
        drawnX = xs;
        drawnLabels = placed;
        drawnLevels = levelBoxes;
    }

    /** The box of a reference line's label: above the line, or below it where there is no room (or it prefers so). */
    static Rectangle2D levelBox(Rectangle2D area, double y, double w, double h, double pad, boolean right, boolean below) {
        double x = right ? area.getMaxX() - pad - w : area.getMinX() + pad;
        double gap = pad / 2;
        double above = y - gap - h;
        double under = y + gap;
        boolean roomAbove = above >= area.getMinY() + 1;
        boolean roomUnder = under + h <= area.getMaxY() - 1;
        double top;
        if (below ? roomUnder : !roomAbove && roomUnder) {
            top = under;
        } else if (roomAbove) {
            top = above;
        } else {
            top = Math.max(area.getMinY(), Math.min(y - h / 2, area.getMaxY() - h)); // a plot lower than a label
        }
        return new Rectangle2D.Double(x, top, w, h);
    }

    /**
     * Places marker labels at the top (or bottom) of the plot without overlapping each other or anything in
     * {@code taken}, and inside the plot: for each marker in turn, its full text, then its short one, each tried right
     * of its line and then left of it, in row 0, 1, 2 from the edge (as many as fit in 40% of the plot); the rows
     * start past a reference line that runs along the edge.
     *
     * @param xs    each marker's line (NaN: off the plot, no label)
     * @param full  each full label's width with its padding
     * @param brief each short label's width with its padding
     * @param lines where the reference lines run (y)
     * @return each marker's label box, or null where it is left out
     */
    static Placed[] layout(double[] xs, double[] full, double[] brief, double h, Rectangle2D area, double pad,
                           List<Rectangle2D> taken, double[] lines, boolean atBottom) {
        Placed[] placed = new Placed[xs.length];
        List<Rectangle2D> used = new ArrayList<>(taken);
        double rowGap = pad / 2;
        // the first row starts at the plot's edge, or just past a reference line running along it (the chance line
        // under the top of the loss chart), rather than losing that row to the line
        double[] ys = lines.clone();
        java.util.Arrays.sort(ys);
        double first = atBottom ? area.getMaxY() - pad - h : area.getMinY() + pad;
        for (int k = 0; k < ys.length; k++) {
            double y = atBottom ? ys[ys.length - 1 - k] : ys[k];
            if (y >= first - 1 && y <= first + h + 1) {
                first = atBottom ? y - pad / 2 - h : y + pad / 2;
            }
        }
        double lost = atBottom ? area.getMaxY() - pad - h - first : first - area.getMinY() - pad;
        int rows = (int) Math.min(MAX_ROWS, Math.floor((area.getHeight() * 0.4 - lost + rowGap) / (h + rowGap)));
        boolean oneFits = atBottom ? first >= area.getMinY() : first + h <= area.getMaxY();
        rows = Math.max(rows, oneFits ? 1 : 0);
        for (int i = 0; i < xs.length; i++) {
            if (Double.isNaN(xs[i])) {
                continue;
            }
            search:
            for (int text = 0; text < 2; text++) {
                double w = text == 0 ? full[i] : brief[i];
                for (int row = 0; row < rows; row++) {
                    double top = atBottom ? first - row * (h + rowGap) : first + row * (h + rowGap);
                    for (double left : new double[] {xs[i] + pad, xs[i] - pad - w}) {
                        Rectangle2D box = new Rectangle2D.Double(left, top, w, h);
                        if (left < area.getMinX() + 1 || left + w > area.getMaxX() - 1 || overlaps(box, used)) {
                            continue;
                        }
                        placed[i] = new Placed(box, text == 1);
                        used.add(box);
                        break search;
                    }
                }
            }
        }
        return placed;
    }

    private static boolean overlaps(Rectangle2D box, List<Rectangle2D> others) {
        for (Rectangle2D o : others) {
            if (box.intersects(o)) {
                return true;
            }
        }
        return false;
    }

    private static void label(Graphics2D g2, FontMetrics fm, String text, Rectangle2D box, double pad, Color paint) {
        g2.setPaint(BACKING);
        g2.fill(box);
        g2.setPaint(paint);
        float baseline = (float) (box.getY() + (box.getHeight() - fm.getAscent() - fm.getDescent()) / 2 + fm.getAscent());
        g2.drawString(text, (float) (box.getX() + pad), baseline);
    }

    /**
     * The full text of the markers at the pointer (x, y) in the last drawn frame: those whose line is within
     * {@code tolerance} pixels of x or whose label is under the pointer; empty if none.
     */
    List<String> describe(double x, double y, double tolerance) {
        return at(x, y, tolerance).stream().map(Change::label).toList();
    }

    /** The markers at the pointer (x, y) in the last drawn frame, as {@link #describe} finds them. */
    List<Change> at(double x, double y, double tolerance) {
        List<Change> found = new ArrayList<>();
        for (int i = 0; i < drawnX.length && i < changes.size(); i++) {
            boolean onLine = !Double.isNaN(drawnX[i]) && Math.abs(drawnX[i] - x) <= tolerance;
            boolean onLabel = i < drawnLabels.length && drawnLabels[i] != null && drawnLabels[i].box().contains(x, y);
            if (onLine || onLabel) {
                found.add(changes.get(i));
            }
        }
        return found;
    }

    /** Labels of the markers in the last drawn frame as drawn (short or full), null where left out (tests). */
    List<String> drawnMarkerLabels() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < drawnLabels.length && i < changes.size(); i++) {
            Placed p = drawnLabels[i];
            out.add(p == null ? null : p.shortText() ? changes.get(i).shortLabel() : changes.get(i).label());
        }
        return out;
    }

    /** Boxes of the marker labels in the last drawn frame, null where left out (tests). */
    List<Rectangle2D> drawnMarkerBoxes() {
        List<Rectangle2D> out = new ArrayList<>();
        for (Placed p : drawnLabels) {
            out.add(p == null ? null : p.box());
        }
        return out;
    }

    /** Boxes of the reference lines' labels in the last drawn frame, in order, null for a line off the plot (tests). */
    List<Rectangle2D> drawnLevelBoxes() {
        return new ArrayList<>(drawnLevels);
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        ChartMarks copy = (ChartMarks) super.clone();
        copy.levels = new ArrayList<>(levels);
        copy.changes = new ArrayList<>(changes);
        copy.drawnX = new double[0];
        copy.drawnLabels = new Placed[0];
        copy.drawnLevels = new ArrayList<>();
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
