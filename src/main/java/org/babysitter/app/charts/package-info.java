/** The live JFreeChart-FX charts (loss, accuracy, update ratios), their decimated series, styling and PNG export. */
package org.babysitter.app.charts;
