package org.babysitter.app.session;

import java.util.List;

import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.preprocess.PreparedData;

/** What background jobs post through the {@link UiPump}. */
final class Messages {
    private Messages() {
    }

    /** Loading has got this far. */
    record LoadProgress(long job, double fraction, String what) {
    }

    /** Loading ended with a data set and its summary for the data panel. */
    record LoadFinished(long job, LoadedImages images, PreparedData prepared, DataSummary summary) {
    }

    /** Loading failed; the previous data set stays. */
    record LoadFailed(long job, String message) {
    }

    record LoadCancelled(long job) {
    }

    /** Something from run {@code run} (metrics, run events, a failure). */
    record FromRun(long run, Object payload) {
    }

    /** A run could not start or crashed. */
    record RunFailed(String message) {
    }

    /** A finished background job (export) with a line for the status bar. */
    record JobDone(String message) {
    }

    /** A failed background job, shown in a dialog. */
    record JobFailed(String title, String message) {
    }

    /** Progress of a background job other than loading (export, checks). */
    record JobProgress(double fraction, String what) {
    }

    /** Lines of a diagnostics run (sanity or gradient checks) for the checks dialog. */
    record CheckReport(String title, List<String> lines, boolean passed) {
    }
}
