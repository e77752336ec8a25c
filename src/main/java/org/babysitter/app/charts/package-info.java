/** The live charts (loss, accuracy, update ratios) drawn with JFreeChart into the window, their decimated series, styling and export. */
package org.babysitter.app.charts;
