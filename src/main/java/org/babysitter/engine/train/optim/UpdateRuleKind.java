package org.babysitter.engine.train.optim;

import java.util.function.DoubleFunction;

/**
 * The update rules by name, as the CLI and the window offer them: each name with whether it takes a momentum and
 * how to make a fresh rule (fresh state) for a run. A new rule is its class and one line here.
 */
public enum UpdateRuleKind {
    SGD("sgd", false, mu -> new Sgd()),
    MOMENTUM("momentum", true, Momentum::new),
    NESTEROV("nesterov", true, Nesterov::new),
    RMSPROP("rmsprop", false, mu -> new RmsProp()),
    ADAM("adam", false, mu -> new Adam()),
    ADAMW("adamw", false, mu -> new AdamW());

    private final String label;
    private final boolean usesMomentum;
    private final DoubleFunction<UpdateRule> factory;

    UpdateRuleKind(String label, boolean usesMomentum, DoubleFunction<UpdateRule> factory) {
        this.label = label;
        this.usesMomentum = usesMomentum;
        this.factory = factory;
    }

    /** A fresh rule for one run; {@code momentum} is used by the rules that {@link #usesMomentum() take one}. */
    public UpdateRule create(double momentum) {
        return factory.apply(momentum);
    }

    public boolean usesMomentum() {
        return usesMomentum;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
