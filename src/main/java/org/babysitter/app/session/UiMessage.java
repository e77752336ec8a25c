package org.babysitter.app.session;

import org.babysitter.engine.metrics.RunReport;
import org.babysitter.engine.train.TrainerState;

/**
 * What background threads hand to the FX thread through the {@link UiPump}: one sealed type, delivered to a
 * {@link Visitor} so that every receiver handles every kind (the compiler sees to it).
 */
public sealed interface UiMessage {
    void accept(Visitor visitor);

    /** One method per kind of message. */
    interface Visitor {
        void fromRun(FromRun m);

        void runFailed(RunFailed m);

        void jobProgress(JobProgress m);

        void jobPartial(JobPartial m);

        void jobEnded(JobEnded m);

        void runRecorded(RunRecorded m);

        void stateTaken(StateTaken m);
    }

    /** A report of run {@code run}: its metrics and events (an older run's are ignored). */
    record FromRun(long run, RunReport report) implements UiMessage {
        @Override
        public void accept(Visitor visitor) {
            visitor.fromRun(this);
        }
    }

    /** Run {@code run} could not start or stopped with an error. */
    record RunFailed(long run, String message) implements UiMessage {
        @Override
        public void accept(Visitor visitor) {
            visitor.runFailed(this);
        }
    }

    /** Background job {@code job} has got this far. */
    record JobProgress(BackgroundJobs.Job job, double fraction, String what) implements UiMessage {
        @Override
        public void accept(Visitor visitor) {
            visitor.jobProgress(this);
        }
    }

    /**
     * Background job {@code job} has a partial result (a finished step of several); {@code deliver} hands it to whoever
     * started the job, typed as they asked, on the FX thread, unless the job was cancelled or has ended.
     */
    record JobPartial(BackgroundJobs.Job job, Runnable deliver) implements UiMessage {
        @Override
        public void accept(Visitor visitor) {
            visitor.jobPartial(this);
        }
    }

    /**
     * Background job {@code job} ended; {@code deliver} hands its outcome (a result, a failure, a cancellation) to
     * whoever started it, typed as they asked, on the FX thread.
     */
    record JobEnded(BackgroundJobs.Job job, Runnable deliver) implements UiMessage {
        @Override
        public void accept(Visitor visitor) {
            visitor.jobEnded(this);
        }
    }

    /**
     * The run store has what the trainer thread recorded of window run {@code run} so far: its row was made
     * ({@code ended} false) or everything it reported is committed ({@code ended} true); a runs list reads it now.
     * {@code problem} is non-empty if recording failed (the run trains on, unrecorded).
     */
    record RunRecorded(long run, boolean ended, String problem) implements UiMessage {
        public RunRecorded {
            problem = problem == null ? "" : problem;
        }

        @Override
        public void accept(Visitor visitor) {
            visitor.runRecorded(this);
        }
    }

    /** Window run {@code run}'s whole state, asked for by a fork ({@code state} null: the run ended first). */
    record StateTaken(long run, TrainerState state) implements UiMessage {
        @Override
        public void accept(Visitor visitor) {
            visitor.stateTaken(this);
        }
    }
}
