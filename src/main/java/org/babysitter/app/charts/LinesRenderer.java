package org.babysitter.app.charts;

import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

/**
 * Lines only, each series drawn as one path, in one pass over the data: the renderer of the loss and update-ratio
 * charts. {@link XYLineAndShapeRenderer} makes a second pass over every item for what these charts never show
 * (item shapes, item labels, chart entities, crosshair values); with 1,000 points a series that pass cost as much
 * of a live frame as the lines did (it looks the plot's dataset up in a map for every item).
 */
final class LinesRenderer extends XYLineAndShapeRenderer {
    private static final long serialVersionUID = 1L;

    LinesRenderer() {
        super(true, false);
        setDrawSeriesLineAsPath(true); // one path per series, not a stroke per segment: far cheaper to draw
    }

    /** The line pass only. */
    @Override
    public int getPassCount() {
        return 1;
    }
}
