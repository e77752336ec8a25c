package org.babysitter.engine.model;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;

/**
 * The loop that steps a param's entries with a rule's {@link StepFormula}: in float, in one pass over values, gradient
 * and state, with the sums of squares of the values and of the updates, block by block.
 * <p>
 * Every rule gets a copy of the loop's class of its own ({@link #forRule}, a hidden class defined from the bytes of
 * {@code StepLoopBody}),
 * so the JIT profiles the formula's call separately for each rule and inlines it into the loop: one shared loop that
 * had seen three rules would call the formula per entry without inlining it, and run several times slower for the rest
 * of the session.
 */
public abstract class StepLoop {
    private static final byte[] BYTES = bytes();
    private static final ClassValue<StepLoop> COPIES = new ClassValue<>() {
        @Override
        protected StepLoop computeValue(Class<?> rule) {
            try {
                return (StepLoop) MethodHandles.lookup().defineHiddenClass(BYTES, true).lookupClass()
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot copy the update loop for " + rule.getName(), e);
            }
        }
    };

    private static byte[] bytes() {
        try (InputStream in = StepLoop.class.getResourceAsStream("StepLoopBody.class")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the update loop's class file is not readable", e);
        }
    }

    /** The loop of the formula's class (one per class, made on first use). */
    static StepLoop forRule(StepFormula formula) {
        return COPIES.get(formula.getClass());
    }

    /**
     * Entries {@code [from, to)}: {@code w += f.update(...)} in place, or, with {@code out} given, the updates into
     * {@code out} and {@code w} left alone. Adds sum(update^2) into {@code sums[at]} and sum(w^2) before the update into
     * {@code sums[at + 1]}.
     */
    abstract void run(StepFormula f, float[] w, float[] g, float[] a, float[] b, int from, int to, float lr, float l2,
                      float[] out, double[] sums, int at);
}
