/**
 * The window's state and actions without the window: the workbench split by job (data, run, checks), typed background
 * jobs, the view models the panels bind to, and the one pump (and clock) through which background threads reach the
 * FX thread. No view is built here and nothing here knows the charts.
 */
package org.babysitter.app.session;
