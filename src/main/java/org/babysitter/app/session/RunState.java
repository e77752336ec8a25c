package org.babysitter.app.session;

/** Where the current run is. */
public enum RunState {
    IDLE("ready"), STARTING("starting"), RUNNING("training"), PAUSED("paused"), FINISHED("finished"),
    STOPPED("stopped"), DIVERGED("diverged"), FAILED("failed");

    private final String label;

    RunState(String label) {
        this.label = label;
    }

    /** A run exists and has not ended. */
    public boolean active() {
        return this == STARTING || this == RUNNING || this == PAUSED;
    }

    @Override
    public String toString() {
        return label;
    }
}
