package org.babysitter.app.session;

/** Something the window must tell the user in a dialog: an error (what is wrong, what was kept) or a report. */
public record Notice(String title, String message, boolean error) {
}
