package org.babysitter.app;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.robot.Robot;
import javafx.stage.PopupWindow;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;

/**
 * Run by {@link AppExitTest} in a JVM of its own: starts the real application, trains and hovers the loss chart,
 * rests the pointer on the Start button
 * with its tooltip up and opens the About dialog (windows of their own: what was left on screen kept the process alive
 * before), then closes the main window as a user would, and returns. The process must then end by itself.
 */
public final class ExitProbe {
    private ExitProbe() {
    }

    public static void main(String[] args) throws Exception {
        Thread app = new Thread(() -> Application.launch(BabysitterApp.class), "probe-launcher");
        app.start();
        Stage stage = poll("the main window", () -> fx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage && w.isShowing()).map(w -> (Stage) w).findFirst()));
        Node start = poll("the Start button enabled", () -> fx(() -> Optional.ofNullable(stage.getScene().lookup("#start"))
                .filter(n -> !n.isDisabled())));
        // train a little and hover the loss chart, as a user does
        fx(() -> {
            ((javafx.scene.control.Button) start).fire();
            return null;
        });
        org.babysitter.app.charts.ChartView loss = poll("the loss chart drawn", () -> fx(() -> Optional.ofNullable(
                (org.babysitter.app.charts.ChartView) stage.getScene().lookup("#chart-loss"))
                .filter(v -> v.getRenderingInfo() != null && v.getChart().getXYPlot().getDataset().getItemCount(0) > 20)));
        boolean hovered = false;
        for (int i = 0; i < 20 && !hovered; i++) {
            int k = i;
            fx(() -> {
                var area = loss.getRenderingInfo().getPlotInfo().getDataArea();
                var at = loss.localToScreen(area.getCenterX() + 5 * (k % 3), area.getCenterY());
                new Robot().mouseMove(at.getX(), at.getY());
                return null;
            });
            Thread.sleep(200);
            hovered = fx(() -> loss.hoverText() != null);
        }
        System.out.println("chart hovered: " + hovered);
        Bounds b = fx(() -> start.localToScreen(start.getBoundsInLocal()));
        fx(() -> {
            new Robot().mouseMove(b.getCenterX(), b.getCenterY()); // the pointer rests on the button...
            ((javafx.scene.control.Button) start).getTooltip().show(stage, b.getCenterX() + 8, b.getMaxY() + 8); // ...its tooltip up
            ((javafx.scene.control.Button) stage.getScene().lookup("#stop")).fire();
            return null;
        });
        boolean tooltip = poll("the tooltip", () -> fx(() -> Window.getWindows().stream()
                .anyMatch(w -> w instanceof PopupWindow && w.isShowing()) ? Optional.of(true) : Optional.empty()));
        System.out.println("tooltip showing: " + tooltip);
        // and the About dialog open, as Help > About leaves it
        fx(() -> {
            javafx.scene.control.MenuBar bar = (javafx.scene.control.MenuBar) stage.getScene().lookup("#menu-bar");
            bar.getMenus().stream().flatMap(m -> m.getItems().stream()).filter(i -> "menu-about".equals(i.getId()))
                    .findFirst().orElseThrow().fire();
            return null;
        });
        boolean about = poll("the About dialog", () -> fx(() -> Window.getWindows().stream()
                .anyMatch(w -> w != stage && w instanceof Stage && w.isShowing()) ? Optional.of(true) : Optional.empty()));
        System.out.println("dialog showing: " + about);
        fx(() -> {
            stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST));
            if (stage.isShowing()) {
                stage.hide(); // what the window manager does after an unconsumed close request
            }
            return null;
        });
        System.out.println("window closed");
        System.out.flush();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    private static <T> T poll(String what, Callable<Optional<T>> c) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            try {
                Optional<T> v = c.call();
                if (v.isPresent()) {
                    return v.get();
                }
            } catch (IllegalStateException e) {
                // the toolkit is not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
