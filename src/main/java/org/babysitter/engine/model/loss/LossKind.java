package org.babysitter.engine.model.loss;

/** The losses a net can be trained with. */
public enum LossKind {
    SOFTMAX("softmax"), SVM("SVM");

    private final String label;

    LossKind(String label) {
        this.label = label;
    }

    public Loss newLoss() {
        return this == SOFTMAX ? new SoftmaxLoss() : new SvmLoss();
    }

    /**
     * The loss of a net whose scores are all about equal, as at a small init with reg 0: ln(C) for softmax (2.3026
     * for 10 classes, the lecture's first sanity check), C - 1 for the SVM (every margin is 1).
     */
    public double chanceLoss(int classes) {
        return this == SOFTMAX ? Math.log(classes) : classes - 1;
    }

    /** How {@link #chanceLoss} is written, e.g. "ln(10) = 2.303" or "C - 1 = 9". */
    public String describeChance(int classes) {
        return this == SOFTMAX ? String.format(java.util.Locale.ROOT, "ln(%d) = %.3f", classes, Math.log(classes))
                : "C - 1 = " + (classes - 1);
    }

    @Override
    public String toString() {
        return label;
    }
}
