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

    @Override
    public String toString() {
        return label;
    }
}
