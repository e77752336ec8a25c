package org.babysitter.engine.train.optim;

/** The update rules by name, as the CLI and the control panel offer them. */
public enum UpdateRuleKind {
    SGD("sgd"), MOMENTUM("momentum"), NESTEROV("nesterov"), RMSPROP("rmsprop"), ADAM("adam");

    private final String label;

    UpdateRuleKind(String label) {
        this.label = label;
    }

    /** A fresh rule (fresh state) for one run; {@code momentum} is used by MOMENTUM and NESTEROV. */
    public UpdateRule create(double momentum) {
        return switch (this) {
            case SGD -> new Sgd();
            case MOMENTUM -> new Momentum(momentum);
            case NESTEROV -> new Nesterov(momentum);
            case RMSPROP -> new RmsProp();
            case ADAM -> new Adam();
        };
    }

    public boolean usesMomentum() {
        return this == MOMENTUM || this == NESTEROV;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
