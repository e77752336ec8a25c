package org.babysitter.engine.diagnosis;

/**
 * What the assistant looks for, each with the source of its threshold (the lecture first; then the DL4J training
 * guide, SageMaker Debugger's built-in rules and AUTOTRAINER, as gathered in the project's diagnosis reference). The
 * thresholds themselves are in {@link Thresholds}.
 */
public enum Rule {
    INITIAL_LOSS("initial loss", "first data loss more than 10% from the chance loss (a note; a warning beyond 50%)", "the lecture: with a small init and reg 0 the first loss is the chance loss (softmax ln C)"),
    LR_TOO_LOW("learning rate too low", "loss fell less than 1% over the first 5% of the run (50..300 iterations)", "the lecture: a loss that barely moves (2.3026 -> 2.3024 in 10 epochs at lr 1e-6)"),
    FLAT_LOSS_RISING_ACCURACY("accuracy rising on a flat loss", "train accuracy 0.05 above chance at an epoch's end while the loss is flat (a note)", "the lecture's poll: scores shift toward the right class before the loss moves"),
    LR_TOO_HIGH("learning rate too high", "NaN, inf, or 3x the first loss; or the mean loss over 20 iterations (and 2,000 images) 1.5x its lowest", "the lecture: NaN, inf or a cost above 3x the first; a loss that rises"),
    OVERFITTING("overfitting", "train - val accuracy >= 0.20", "the lecture: a big train/val gap; AUTOTRAINER: gap >= 0.10"),
    UNDER_CAPACITY("under capacity", "a hidden layer narrower than the classes (at the first layer sample); or after 30% of the epochs (and 3): |train - val| < 0.03, train below 3.5x chance and 0.05 above it, up < 0.03 in 2 epochs", "the lecture: no gap and low accuracy; a bigger net"),
    VAL_STALLED("validation stalled", "no better val for 4 epochs while train accuracy rose 0.08", "the lecture: val accuracy flat while train accuracy rises"),
    UPDATE_RATIO("update/weight ratio", "median over 100 iterations, after 20% of the run: outside 1e-5..1e-1 (a warning), outside 1e-4..1e-2 after 30% (a note)", "the lecture: norm(update)/norm(W) around 1e-3; DL4J: above 1e-2 or below 1e-4 is a problem"),
    ACTIVATIONS_COLLAPSE("activations collapse", "3+ activation layers and the last one's std below 5% of the first's", "the init lesson: std 0.01 weights shrink a deep tanh net's activations to ~0"),
    SATURATION("saturated units", "more than 50% of a tanh/sigmoid layer's outputs within 1% of its bounds", "the init lesson: std 1.0 saturates tanh at +-1; SageMaker: > 50% saturated"),
    DEAD_RELU("dead ReLUs", "more than 50% of a layer's units 0 for a whole batch (batches of 20+)", "SageMaker: a layer with more than half of its ReLUs never active"),
    VANISHING_GRADIENT("vanishing gradient", "mean |dW1| < 1e-7, or below 1e-4 x the last layer's", "SageMaker: mean |dW| below 1e-7, or the first layer's 1e-4 times the last's"),
    EXPLODING_GRADIENT("exploding gradient", "mean |dW1| above 1e4 x the last layer's", "the first layer's mean |dW| 1e4 times the last's or more"),
    NOT_CENTRED("inputs not zero-centred", "the input's |mean| above 0.5 x its std (batches of 20+)", "the lecture: subtract the mean image before training"),
    NOISY_LOSS("noisy loss", "iteration-to-iteration spread of the loss above 30% of its level (over 50 iterations, from the 20th)", "DL4J: a very noisy score means a tiny minibatch (or unshuffled data)"),
    REG_DOMINATES("regularization dominates", "the L2 term above 20% of the first loss and halved after 50 iterations while the data loss fell < 5%", "the lecture: reg raises the loss; an L2 term that is most of the loss drowns the data");

    private final String title;
    private final String firesWhen;
    private final String source;

    Rule(String title, String firesWhen, String source) {
        this.title = title;
        this.firesWhen = firesWhen;
        this.source = source;
    }

    /** When it fires, in words, with the numbers of {@link Thresholds}. */
    public String firesWhen() {
        return firesWhen;
    }

    /** The rules as a table: title, when, source; for the help and DESIGN.md. */
    public static String table() {
        StringBuilder b = new StringBuilder();
        for (Rule r : values()) {
            b.append(r.title).append(": ").append(r.firesWhen).append(". Source: ").append(r.source).append(".\n");
        }
        return b.toString();
    }

    /** A few words, e.g. "learning rate too low". */
    public String title() {
        return title;
    }

    /** Where the rule and its threshold come from. */
    public String source() {
        return source;
    }
}
