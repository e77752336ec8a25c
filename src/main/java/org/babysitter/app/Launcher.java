package org.babysitter.app;

/** A plain main for running the app from a class path (JavaFX refuses to launch an Application subclass directly). */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        BabysitterApp.main(args);
    }
}
