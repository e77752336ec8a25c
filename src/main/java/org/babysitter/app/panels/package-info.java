/** The panels of the window (data, model, training, live controls, status bar), bound to view-model properties. */
package org.babysitter.app.panels;
