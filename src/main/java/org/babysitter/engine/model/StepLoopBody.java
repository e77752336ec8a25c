package org.babysitter.engine.model;

/**
 * The loop of {@link StepLoop}, which every rule gets a copy of (a hidden class defined from these bytes): keep it free
 * of static state and of references to its own class.
 */
final class StepLoopBody extends StepLoop {
    /** Entries whose sums of squares are added in float before they go into the double total. */
    private static final int BLOCK = 512;

    @Override
    void run(StepFormula f, float[] w, float[] g, float[] a, float[] b, int from, int to, float lr, float l2,
             float[] out, double[] sums, int at) {
        for (int start = from; start < to; start += BLOCK) {
            int end = Math.min(to, start + BLOCK);
            float su = 0;
            float sw = 0;
            if (out == null) {
                for (int i = start; i < end; i++) {
                    float wi = w[i];
                    float d = f.update(wi, l2 == 0 ? g[i] : g[i] + l2 * wi, lr, a, b, i);
                    sw += wi * wi;
                    su += d * d;
                    w[i] = wi + d;
                }
            } else {
                for (int i = start; i < end; i++) {
                    float wi = w[i];
                    float d = f.update(wi, l2 == 0 ? g[i] : g[i] + l2 * wi, lr, a, b, i);
                    sw += wi * wi;
                    su += d * d;
                    out[i] = d;
                }
            }
            sums[at] += su;
            sums[at + 1] += sw;
        }
    }
}
