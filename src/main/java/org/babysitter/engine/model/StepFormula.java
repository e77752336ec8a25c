package org.babysitter.engine.model;

/**
 * An update rule's formula for one entry, in single precision: the update to add to {@code w} given its gradient
 * {@code dw} (the L2 term's gradient already added unless the rule decays weights itself), the learning rate, and the
 * rule's per-entry state {@code a[i]}, {@code b[i]} (velocities, caches, moments), which it updates in place. Stepping a
 * param calls it for every entry inside one loop per rule (see {@link Param#step}), where the JIT inlines it.
 */
public interface StepFormula {
    /** Called once per param before its entries, with the state's step count (1 on the first) and the L2 strength. */
    default void begin(long t, float decay) {
    }

    /** The update of entry {@code i}. */
    float update(float w, float dw, float lr, float[] a, float[] b, int i);
}
