package org.babysitter.app.charts;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 log axis labelled with values a reader can use ({@link AxisTicks}): whole decades, 1-2-5 or 1..9
 * steps, as many as stay apart in the tick font, written "0.5, 1, 2" or "1e-4, 1e-3" ({@link AxisTicks.LogStyle}),
 * never "0" for a small value or 2.239 for 10^0.35; between labelled decades, unlabelled tick marks at 2..9.
 * Its label gives way to a short one where the axis is too short for it.
 */
final class ReadableLogAxis extends LogAxis {
    private static final long serialVersionUID = 1L;

    private final AxisTicks.LogStyle style;
    private String shortLabel;

    ReadableLogAxis(String label, AxisTicks.LogStyle style) {
        super(label);
        this.style = style;
        setBase(10);
        setMinorTickMarksVisible(true);
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
        double lo = Math.max(getLowerBound(), getSmallestValue());
        double hi = getUpperBound();
        List<AxisTicks.Tick> major = AxisTicks.log(lo, hi, length, vertical, lineHeight, style, fm::stringWidth);
        List<NumberTick> ticks = ReadableNumberAxis.toNumberTicks(this, major, g2, dataArea, edge);
        TextAnchor anchor = vertical ? TextAnchor.CENTER_RIGHT : TextAnchor.TOP_CENTER;
        for (double v : AxisTicks.logMinor(major, lo, hi)) {
            ticks.add(new NumberTick(TickType.MINOR, v, "", anchor, anchor, 0.0));
        }
        return ticks;
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
