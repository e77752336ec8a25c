package org.babysitter.engine.diagnosis;

/**
 * Every threshold the assistant uses, in one place (DESIGN.md and the app's help print the same table). The lecture's
 * numbers first; where it gives none, the published defaults of DL4J's guide, SageMaker Debugger and AUTOTRAINER,
 * calibrated on the labelled suite of broken and healthy runs (RESULTS.md).
 */
public final class Thresholds {
    private Thresholds() {
    }

    /**
     * First data loss within 10% of the chance loss (ln C for softmax): a note beyond it (Xavier and He inits start
     * 20-40% above it), a warning beyond 50%.
     */
    public static final double INITIAL_LOSS_TOLERANCE = 0.10;
    public static final double INITIAL_LOSS_FAR = 0.50;
    /** Flat: the loss fell by less than 1% of its first value... */
    public static final double FLAT_DROP = 0.01;
    /** ...over the first 5% of the run, at least 50 and at most 300 iterations. */
    public static final double FLAT_WINDOW_SHARE = 0.05;
    public static final int FLAT_WINDOW_MIN = 50;
    public static final int FLAT_WINDOW_MAX = 300;
    /** Losses averaged at each end of a window (the mini-batch loss is noisy). */
    public static final int AVERAGE_OVER = 10;
    /** Rising: the mean loss over 20 iterations (and 2,000 images) above 1.5x its lowest value so far. */
    public static final int RISING_WINDOW = 20;
    public static final int RISING_IMAGES = 2000;
    public static final double RISING_FACTOR = 1.5;
    /** Accuracy rising on a flat loss: train accuracy at least this much above chance. */
    public static final double ACCURACY_ABOVE_CHANCE = 0.05;
    /** Overfitting: train - val >= 0.20 (AUTOTRAINER's 0.10 fired on every healthy run of the built-in set at 0.90 train). */
    public static final double GAP = 0.20;
    /**
     * Under capacity: after 30% of the epochs (and 3), |gap| < 0.03 and train accuracy below 3.5x chance but 0.05
     * above it (a net at chance is not small, it is broken), no longer rising (less than 0.03 over the last 2 epochs).
     */
    public static final double UNDER_CAPACITY_AFTER = 0.3;
    public static final double NO_GAP = 0.03;
    public static final double LOW_ACCURACY_X_CHANCE = 3.5;
    public static final int PLATEAU_EPOCHS = 2;
    public static final double PLATEAU_RISE = 0.03;
    /** Val stalled: no new best for 4 epochs while train accuracy rose by >= 0.08. */
    public static final int STALLED_EPOCHS = 4;
    public static final double STALLED_TRAIN_RISE = 0.08;
    /**
     * Update/weight ratio: the lecture's band 1e-4..1e-2 (a note after 30% of the run), a warning a decade beyond it:
     * a small init's weights start tiny, so a good run's ratios start well above 1e-2 (the lecture's tuned net: W1 above
     * 1e-2 for its first ~20% on CIFAR-10)...
     */
    public static final double RATIO_LOW = 1e-4;
    public static final double RATIO_HIGH = 1e-2;
    public static final double RATIO_FAR = 10;
    /** ...as the median of the last 100 iterations, after the first 20% of the run (at least 100 iterations). */
    public static final int RATIO_WINDOW = 100;
    public static final double RATIO_GRACE = 0.2;
    /** Activations collapse: the last hidden layer's std below 5% of the first's (3 or more activation layers). */
    public static final double COLLAPSE = 0.05;
    /** Saturated: more than half of a tanh/sigmoid layer's outputs within 1% of its bounds (SageMaker: 50%). */
    public static final double SATURATED = 0.5;
    /** Dead ReLUs: more than half of a layer's units 0 for a whole batch (SageMaker: 50%). */
    public static final double DEAD = 0.5;
    /** Vanishing gradient: mean |dW| below 1e-7 (SageMaker), or the first layer's below 1e-4 x the last's. */
    public static final double VANISHING_ABS = 1e-7;
    public static final double VANISHING_RATIO = 1e-4;
    /** Exploding gradient: the first layer's mean |dW| above 1e4 x the last's. */
    public static final double EXPLODING_RATIO = 1e4;
    /** Not centred: the input's mean larger than half its std. */
    public static final double CENTRED = 0.5;
    /** The input and dead-unit rules read batches of 20 images or more: a few images' mean, or zeros, are their own. */
    public static final int STATS_BATCH = 20;
    /**
     * Noisy: the loss's iteration-to-iteration spread (std of successive differences / sqrt 2) over the last 50
     * iterations (from the 20th) above 30% of its mean (batch 100 on CIFAR-10: under 10%).
     */
    public static final int NOISE_WINDOW = 50;
    public static final int NOISE_MIN = 20;
    public static final double NOISE = 0.3;
    /**
     * Regularization dominates: the L2 term more than 20% of the first loss (a small init's is ~0; the lecture's reg 1e3
     * makes it 25%, a deep Xavier net's 21% at reg 1e-3), and after 50 iterations it has fallen below half of that while
     * the data loss has not fallen 5%: the penalty, not the data, moves the weights.
     */
    public static final double REG_FIRST_SHARE = 0.2;
    public static final int REG_WINDOW = 50;
}
