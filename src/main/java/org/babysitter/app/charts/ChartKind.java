package org.babysitter.app.charts;

/** The three live charts. */
public enum ChartKind {
    LOSS("Loss", "loss"), ACCURACY("Train / validation accuracy", "accuracy"), UPDATE_RATIOS("Update / weight ratio", "update-ratios");

    private final String title;
    private final String fileName;

    ChartKind(String title, String fileName) {
        this.title = title;
        this.fileName = fileName;
    }

    public String title() {
        return title;
    }

    /** The file name an export suggests, without extension. */
    public String fileName() {
        return fileName;
    }
}
