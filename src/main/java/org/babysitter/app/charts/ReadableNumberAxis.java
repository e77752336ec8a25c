package org.babysitter.app.charts;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A linear axis whose ticks stay readable at any size and range ({@link AxisTicks}): 1-2-5 steps far enough apart
 * for the tick font, "0" not "0E0", "5.5e12" for a diverged loss; the last label along the bottom is right-aligned
 * to its tick if centred it would run off the chart. Its label gives way to a short one where the axis is too
 * short for it.
 */
final class ReadableNumberAxis extends NumberAxis {
    private static final long serialVersionUID = 1L;

    private final boolean integers;
    private String shortLabel;

    /** @param integers only whole-number steps (iterations, epochs) */
    ReadableNumberAxis(String label, boolean integers) {
        super(label);
        this.integers = integers;
        setMinorTickMarksVisible(false);
    }

    /** The label used where the full one does not fit along the axis. */
    void setShortLabel(String shortLabel) {
        this.shortLabel = shortLabel;
    }

    @Override
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        boolean vertical = RectangleEdge.isLeftOrRight(edge);
        FontMetrics fm = g2.getFontMetrics(getTickLabelFont());
        double lineHeight = getTickLabelFont().getLineMetrics("0", g2.getFontRenderContext()).getHeight();
        double length = vertical ? dataArea.getHeight() : dataArea.getWidth();
        double lo = getLowerBound();
        double hi = getUpperBound();
        java.math.BigDecimal unit = AxisTicks.linearUnit(lo, hi, length, vertical, integers, lineHeight, fm::stringWidth);
        setTickUnit(new NumberTickUnit(unit.doubleValue()), false, false);
        List<AxisTicks.Tick> ticks = AxisTicks.linearTicks(lo, hi, unit, Math.max(Math.abs(lo), Math.abs(hi)));
        return toNumberTicks(this, ticks, g2, dataArea, edge);
    }

    /** JFreeChart's ticks for these values, anchored for the edge; a bottom label that would run off goes left. */
    static List<NumberTick> toNumberTicks(org.jfree.chart.axis.ValueAxis axis, List<AxisTicks.Tick> ticks, Graphics2D g2,
                                          Rectangle2D dataArea, RectangleEdge edge) {
        List<NumberTick> result = new ArrayList<>();
        FontMetrics fm = g2.getFontMetrics(axis.getTickLabelFont());
        double room = axis.getPlot() == null ? 0 : axis.getPlot().getInsets().getRight();
        for (AxisTicks.Tick t : ticks) {
            TextAnchor anchor = edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT
                    : edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT
                    : edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
            if (RectangleEdge.isTopOrBottom(edge)) {
                double x = axis.valueToJava2D(t.value(), dataArea, edge);
                if (x + fm.stringWidth(t.label()) / 2.0 > dataArea.getMaxX() + room) {
                    anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_RIGHT : TextAnchor.TOP_RIGHT;
                }
            }
            result.add(new NumberTick(t.value(), t.label(), anchor, anchor, 0.0));
        }
        return result;
    }

    @Override
    protected AxisState drawLabel(String label, Graphics2D g2, Rectangle2D plotArea, Rectangle2D dataArea,
                                  RectangleEdge edge, AxisState state) {
        double length = RectangleEdge.isLeftOrRight(edge) ? dataArea.getHeight() : dataArea.getWidth();
        return super.drawLabel(fittedLabel(g2.getFontMetrics(getLabelFont()), length), g2, plotArea, dataArea, edge, state);
    }

    /** The label drawn along an axis {@code length} pixels long: the full one, or the short one if that does not fit. */
    String fittedLabel(FontMetrics fm, double length) {
        return AxisTicks.fitLabel(getLabel(), shortLabel, length, fm::stringWidth);
    }
}
