package org.babysitter.engine.search;

/** How a hyperparameter's values are drawn from its {@link Dimension}. */
public enum Scale {
    /** 10^uniform(log10 low, log10 high): the lecture's {@code 10**uniform(-5, 5)}. */
    LOG,
    /** uniform(low, high). */
    UNIFORM,
    /** One of the listed values, each equally likely. */
    CHOICE,
    /** Always the one value. */
    FIXED
}
