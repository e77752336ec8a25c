package org.babysitter.engine.gradcheck;

/**
 * The lecture's reading of a relative error: above 1e-2 probably wrong; 1e-2..1e-4 uneasy; 1e-4..1e-7 ok only with
 * kinks (ReLU); 1e-7 and less good (double precision).
 */
public enum Band {
    GOOD("good", "<= 1e-7"),
    OK_WITH_KINKS("ok only with kinks", "1e-7..1e-4"),
    UNEASY("uneasy", "1e-4..1e-2"),
    WRONG("probably wrong", "> 1e-2");

    /** Errors at most this are good. */
    public static final double GOOD_BELOW = 1e-7;
    /** Errors above this need kinks to be acceptable. */
    public static final double KINKS_BELOW = 1e-4;
    /** Errors above this are probably wrong. */
    public static final double WRONG_ABOVE = 1e-2;

    private final String words;
    private final String range;

    Band(String words, String range) {
        this.words = words;
        this.range = range;
    }

    /** The band of a relative error; NaN reads as wrong. */
    public static Band of(double relativeError) {
        if (!(relativeError <= WRONG_ABOVE)) {
            return WRONG;
        }
        if (relativeError > KINKS_BELOW) {
            return UNEASY;
        }
        if (relativeError > GOOD_BELOW) {
            return OK_WITH_KINKS;
        }
        return GOOD;
    }

    /** The lecture's words, e.g. "ok only with kinks". */
    public String words() {
        return words;
    }

    /** The range of relative errors, e.g. "1e-7..1e-4". */
    public String range() {
        return range;
    }

    @Override
    public String toString() {
        return words;
    }
}
