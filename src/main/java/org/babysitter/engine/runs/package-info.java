/** The run store: every run recorded as it happens in an embedded SQLite database in a workspace folder, listed, reopened and exported. */
package org.babysitter.engine.runs;
