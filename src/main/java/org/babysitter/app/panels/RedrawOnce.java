package org.babysitter.app.panels;

import javafx.application.Platform;

/**
 * A view's charts drawn again once after every change already queued on the FX thread: a pump frame that replaces 100
 * trials' rows fires 100 change events, and the charts are drawn once for all of them. FX thread.
 */
final class RedrawOnce {
    private final Runnable draw;
    private boolean asked;

    RedrawOnce(Runnable draw) {
        this.draw = draw;
    }

    /** Draws at the FX thread's next turn, unless a draw is already asked for. */
    void ask() {
        if (asked) {
            return;
        }
        asked = true;
        Platform.runLater(() -> {
            asked = false;
            draw.run();
        });
    }
}
