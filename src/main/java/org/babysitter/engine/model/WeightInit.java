package org.babysitter.engine.model;

/**
 * How weights start: zero-mean gaussians with a fixed std (the lecture's two-layer example: 1e-4),
 * Xavier (std = 1/sqrt(fan_in)) or He (std = sqrt(2/fan_in)). Biases start at zero.
 *
 * @param std the std for {@link Kind#GAUSSIAN}; ignored by the others
 */
public record WeightInit(Kind kind, double std) {
    public enum Kind {
        GAUSSIAN("gaussian (std)"), XAVIER("Xavier"), HE("He");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The lecture's {@code 0.0001 * randn}. */
    public static final WeightInit LECTURE = gaussian(1e-4);

    public WeightInit {
        if (kind == null) {
            throw new IllegalArgumentException("init kind must be given");
        }
        if (kind == Kind.GAUSSIAN && !(std > 0 && Double.isFinite(std))) {
            throw new IllegalArgumentException("init std must be a positive number, got " + std);
        }
    }

    public static WeightInit gaussian(double std) {
        return new WeightInit(Kind.GAUSSIAN, std);
    }

    public static WeightInit xavier() {
        return new WeightInit(Kind.XAVIER, 0);
    }

    public static WeightInit he() {
        return new WeightInit(Kind.HE, 0);
    }

    /** The std for a layer with {@code fanIn} inputs. */
    public double stdFor(int fanIn) {
        return switch (kind) {
            case GAUSSIAN -> std;
            case XAVIER -> 1 / Math.sqrt(fanIn);
            case HE -> Math.sqrt(2.0 / fanIn);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.GAUSSIAN ? "gaussian std " + org.babysitter.engine.Numbers.exact(std) : kind.toString();
    }
}
