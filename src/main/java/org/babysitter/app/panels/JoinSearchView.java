package org.babysitter.app.panels;

import javafx.beans.binding.BooleanBinding;
import java.util.prefs.Preferences;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.babysitter.app.session.JoinController;
import org.babysitter.engine.cluster.ClusterConfig;

/**
 * "Join a search...": the owner's address, the cluster's name and shared secret, this machine's address and port, the
 * data this machine runs its trials on; Join and Leave; then the members of the search and a line per trial this
 * machine runs or refuses. What {@code babysitter worker} does, in the window.
 */
public final class JoinSearchView {
    private final JoinController join;
    private final VBox root = new VBox(6);
    private final Label data = new Label();
    private final Label problem = new Label();

    /**
     * @param remembered where the owner, cluster name, address and port of the last join are kept (never the secret);
     *                   null: nothing remembered
     */
    public JoinSearchView(JoinController join, Preferences remembered) {
        this.join = join;
        TextField owner = new TextField();
        owner.setId("join-owner");
        owner.setPromptText("the owner's address, as its search prints it: 192.168.1.10 or 192.168.1.10:5701");
        TextField cluster = new TextField();
        cluster.setId("join-cluster");
        cluster.setPromptText("the name the owner set: lab-203");
        PasswordField secret = new PasswordField();
        secret.setId("join-secret");
        secret.setPromptText("the shared secret (at least " + ClusterConfig.MIN_SECRET + " characters), kept in memory only");
        TextField bind = new TextField();
        bind.setId("join-bind");
        bind.setPromptText("automatic: the address whose route reaches the owner");
        TextField port = new TextField(Integer.toString(ClusterConfig.DEFAULT_PORT));
        port.setId("join-port");
        port.setPrefColumnCount(6);

        if (remembered != null) {
            owner.setText(remembered.get("owner", ""));
            cluster.setText(remembered.get("cluster", ""));
            bind.setText(remembered.get("bind", ""));
            port.setText(remembered.get("port", port.getText()));
        }

        GridPane g = Forms.grid();
        Forms.row(g, "Owner", owner);
        Forms.row(g, "Cluster name", cluster);
        Forms.row(g, "Shared secret", secret);
        Forms.row(g, "This machine's address", bind);
        Forms.row(g, "Port", port);
        Forms.row(g, "Data for its trials", data);
        data.setId("join-data");
        data.setWrapText(true);

        BooleanBinding idle = join.phaseProperty().isEqualTo(JoinController.Phase.IDLE);
        for (Node n : new Node[] {owner, cluster, secret, bind, port}) {
            n.disableProperty().bind(idle.not());
        }
        Button joinButton = new Button("Join");
        joinButton.setId("join-button");
        joinButton.setDefaultButton(true);
        joinButton.disableProperty().bind(idle.not());
        joinButton.setOnAction(e -> {
            problem.setText("");
            try {
                int p;
                try {
                    p = Integer.parseInt(port.getText().strip());
                } catch (NumberFormatException x) {
                    throw new IllegalArgumentException("the port is a number 1..65535, got \"" + port.getText() + "\"");
                }
                join.join(new JoinController.Request(owner.getText(), cluster.getText(), secret.getText(), bind.getText(), p));
                if (remembered != null) {
                    remembered.put("owner", owner.getText().strip());
                    remembered.put("cluster", cluster.getText().strip());
                    remembered.put("bind", bind.getText().strip());
                    remembered.put("port", Integer.toString(p));
                }
            } catch (IllegalArgumentException x) {
                problem.setText(x.getMessage());
            }
        });
        Button leave = new Button("Leave");
        leave.setId("join-leave");
        leave.disableProperty().bind(join.phaseProperty().isEqualTo(JoinController.Phase.JOINED)
                .or(join.phaseProperty().isEqualTo(JoinController.Phase.JOINING)).not());
        leave.setOnAction(e -> join.leave());
        problem.setId("join-problem");
        problem.setStyle("-fx-text-fill: #b00020;");
        problem.setWrapText(true);
        Label status = new Label();
        status.setId("join-status");
        status.setWrapText(true);
        status.textProperty().bind(join.statusProperty());
        joinButton.setMinWidth(Region.USE_PREF_SIZE);
        leave.setMinWidth(Region.USE_PREF_SIZE);
        HBox buttons = new HBox(8, joinButton, leave, status);
        buttons.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        buttons.setPadding(new Insets(0, 6, 0, 6));
        HBox.setHgrow(status, Priority.ALWAYS);
        status.setMinHeight(Region.USE_PREF_SIZE);

        TableView<JoinController.MemberRow> members = new TableView<>(join.members());
        members.setId("join-members");
        members.setPlaceholder(new Label("Not in a search: the members appear here once joined."));
        members.getColumns().add(column("Member", 260, JoinController.MemberRow::address));
        members.getColumns().add(column("Babysitter", 110, JoinController.MemberRow::version));
        members.getColumns().add(column("Role", 200, JoinController.MemberRow::role));
        members.setPrefHeight(140);
        members.setMinHeight(110);

        ListView<String> log = new ListView<>(join.log());
        log.setId("join-log");
        log.setPlaceholder(new Label("The trials this machine runs or refuses, one line each."));
        log.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            {
                setWrapText(true);
                setPrefWidth(0); // wrap at the list's width instead of widening it
            }

            @Override
            protected void updateItem(String line, boolean empty) {
                super.updateItem(line, empty);
                setText(empty ? null : line);
            }
        });
        join.log().addListener((javafx.collections.ListChangeListener<String>) c -> log.scrollTo(join.log().size() - 1));
        VBox.setVgrow(log, Priority.ALWAYS);

        Label note = new Label("This machine runs the trials the owner sends on the data loaded here (no data is copied over the"
                + " network; a trial for other data is refused, and says where the owner's came from). The owner's machine must"
                + " reach this one's port: open it in the firewall. Leaving stops the trial under way; the owner runs it elsewhere."
                + " Plain text on the network: for a lab's own LAN.");
        note.setWrapText(true);
        note.setMinHeight(Region.USE_PREF_SIZE);
        note.setPadding(new Insets(0, 6, 0, 6));
        root.getChildren().addAll(note, g, buttons, problem, new Label("Members"), members, new Label("Trials here"), log);
        root.setPadding(new Insets(6));
        root.setPrefSize(760, 620);
        refresh();
    }

    private static TableColumn<JoinController.MemberRow, String> column(String title, double width,
                                                                        java.util.function.Function<JoinController.MemberRow, String> value) {
        TableColumn<JoinController.MemberRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyStringWrapper(value.apply(r.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** The data line again (the data loaded in the window may have changed since the panel was built). */
    public void refresh() {
        data.setText(join.dataInWords());
    }

    public Node node() {
        return root;
    }
}
