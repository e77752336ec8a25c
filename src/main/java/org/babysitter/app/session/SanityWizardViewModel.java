package org.babysitter.app.session;

import java.util.List;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.babysitter.engine.diagnosis.LearningRateSweep;
import org.babysitter.engine.diagnosis.SanityWizard;

/**
 * The sanity-check wizard's state for its panel: four numbered rows (title, expectation, status, reason), whether it
 * runs, step 3's loss curve and step 4's sweep once they are done, the report so far (for export) and a line saying
 * where it is. Changed by {@link ChecksController} on the FX thread as the steps come in.
 */
public final class SanityWizardViewModel {
    /** A step's state in its row. */
    public enum Status {
        WAITING("waiting"), RUNNING("running..."), PASS("PASS"), FAIL("FAIL"), STOPPED("stopped");

        private final String words;

        Status(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** One numbered step's row. */
    public static final class Row {
        private final int number;
        private final StringProperty title = new SimpleStringProperty("");
        private final StringProperty expectation = new SimpleStringProperty("");
        private final ObjectProperty<Status> status = new SimpleObjectProperty<>(Status.WAITING);
        private final StringProperty reason = new SimpleStringProperty("");

        Row(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        public ReadOnlyStringProperty titleProperty() {
            return title;
        }

        public ReadOnlyStringProperty expectationProperty() {
            return expectation;
        }

        public ReadOnlyObjectProperty<Status> statusProperty() {
            return status;
        }

        /** The one-line reason of a finished step, "" before. */
        public ReadOnlyStringProperty reasonProperty() {
            return reason;
        }
    }

    private final List<Row> rows = List.of(new Row(1), new Row(2), new Row(3), new Row(4));
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final ObjectProperty<SanityWizard.Measured.Overfit> overfit = new SimpleObjectProperty<>();
    private final ObjectProperty<LearningRateSweep.Result> sweep = new SimpleObjectProperty<>();
    private final ObjectProperty<SanityWizard.Report> report = new SimpleObjectProperty<>();
    private final StringProperty summary = new SimpleStringProperty("Run checks the configured net on the loaded data.");

    /** The four rows, step 1 first. */
    public List<Row> rows() {
        return rows;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    /** Step 3's loss by epoch and train accuracy, once it has run. */
    public ReadOnlyObjectProperty<SanityWizard.Measured.Overfit> overfitProperty() {
        return overfit;
    }

    /** Step 4's sweep, once it has run. */
    public ReadOnlyObjectProperty<LearningRateSweep.Result> sweepProperty() {
        return sweep;
    }

    /** The steps run so far with what they ran on (null before the first): what Export writes. */
    public ReadOnlyObjectProperty<SanityWizard.Report> reportProperty() {
        return report;
    }

    /** Where the wizard is, or how it ended, in a line. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** The steps as they will run: every row waiting with its title and expectation. */
    void plan(List<SanityWizard.Planned> plan) {
        for (Row row : rows) {
            SanityWizard.Planned p = plan.stream().filter(s -> s.number() == row.number).findFirst().orElse(null);
            row.title.set(p == null ? "(not run)" : p.title());
            row.expectation.set(p == null ? "" : p.expectation());
            row.status.set(Status.WAITING);
            row.reason.set("");
        }
    }

    /** A run begins with step 1: what an earlier run showed is cleared. */
    void started(List<SanityWizard.Planned> plan) {
        plan(plan);
        running.set(true);
        overfit.set(null);
        sweep.set(null);
        report.set(null);
        rows.get(0).status.set(Status.RUNNING);
        summary.set("Running step 1 of " + plan.size() + "...");
    }

    /** The steps so far: each finished row shows its verdict and reason, the next one runs. */
    void progressed(SanityWizard.Report r) {
        report.set(r);
        for (SanityWizard.Step s : r.steps()) {
            Row row = rows.get(s.number() - 1);
            row.status.set(s.pass() ? Status.PASS : Status.FAIL);
            row.reason.set(s.reason());
            if (s.measured() instanceof SanityWizard.Measured.Overfit o) {
                overfit.set(o);
            } else if (s.measured() instanceof SanityWizard.Measured.Sweep w) {
                sweep.set(w.result());
            }
        }
        int next = r.steps().size();
        if (next < r.planned()) {
            rows.get(next).status.set(Status.RUNNING);
            summary.set("Running step " + (next + 1) + " of " + r.planned() + "...");
        }
    }

    /** The run ended with every step. */
    void finished(SanityWizard.Report r) {
        progressed(r);
        running.set(false);
        summary.set(r.summary());
    }

    /** The run stopped early: cancelled, or failed with {@code why} (null: cancelled). */
    void stopped(String why) {
        running.set(false);
        for (Row row : rows) {
            if (row.status.get() == Status.RUNNING) {
                row.status.set(Status.STOPPED);
                row.reason.set(why == null ? "cancelled" : why.lines().findFirst().orElse(""));
            }
        }
        int done = report.get() == null ? 0 : report.get().steps().size();
        summary.set((why == null ? "Cancelled" : "Failed") + " after " + done + " step" + (done == 1 ? "" : "s") + ".");
    }
}
