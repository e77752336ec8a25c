/**
 * The live charts (loss, accuracy, update ratios) drawn with JFreeChart into the window, and their exports as PNG or
 * SVG with a caption naming the run. Everything is sized from one scale ({@link org.babysitter.app.charts.ChartStyle}):
 * the window's, presentation mode's as far as each chart's size allows, or an exported image's by its size. Axes label
 * readable values ({@code AxisTicks}); reference lines and control markers keep their labels inside the plot and apart
 * ({@code ChartMarks}); long runs are decimated ({@code DecimatedSeries}), the newest points always drawn.
 */
package org.babysitter.app.charts;
