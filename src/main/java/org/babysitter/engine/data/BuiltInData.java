package org.babysitter.engine.data;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A generated 10-class set of 32x32 RGB images that needs no download, so the CLI and the app work
 * offline on a fresh machine. Each class is a pattern family (stripes in four orientations, checkers,
 * disc, ring, square, cross, speckle) drawn at a random position, scale, phase and pair of colours, then
 * blended with another class's pattern and covered in noise: a two-layer net learns it well above
 * chance (10%) but not to 100%. Image {@code i} depends only on the seed and {@code i}, so the set is
 * identical on every machine and generating it in parallel changes nothing.
 */
public final class BuiltInData {
    /** The default seed; the set is a fixed function of it. */
    public static final long DEFAULT_SEED = 231;
    public static final int DEFAULT_TRAINING = 10_000;
    public static final int DEFAULT_TEST = 2_000;
    public static final List<String> CLASS_NAMES = List.of(
            "horizontal stripes", "vertical stripes", "diagonal stripes", "anti-diagonal stripes",
            "checkerboard", "disc", "ring", "square", "cross", "speckle");

    private static final double NOISE_STD = 30;
    private static final double MIN_BLEND = 0.7;

    private BuiltInData() {
    }

    /** The default built-in set: 10,000 training and 2,000 test images. */
    public static LoadedImages generate() {
        return generate(DEFAULT_TRAINING, DEFAULT_TEST, DEFAULT_SEED);
    }

    public static LoadedImages generate(int training, int test, long seed) {
        if (training < 1 || test < 0) {
            throw new IllegalArgumentException("need at least one training image, got " + training + "/" + test);
        }
        RecordStore train = render(training, seed, 0);
        RecordStore tst = render(test, seed, training);
        return new LoadedImages("built-in (" + training + " + " + test + " generated images, seed " + seed + ")",
                CLASS_NAMES, train.all(), tst.all());
    }

    private static RecordStore render(int count, long seed, int firstIndex) {
        byte[] pixels = new byte[count * Cifar.PIXELS];
        int[] labels = new int[count];
        IntStream.range(0, count).parallel().forEach(i -> labels[i] = draw(seed, firstIndex + i, pixels, i * Cifar.PIXELS));
        RecordStore store = new RecordStore();
        for (int i = 0; i < count; i++) {
            store.append(pixels, i * Cifar.PIXELS, labels[i]);
        }
        return store.trim();
    }

    /** Draws image {@code index} into {@code out} at {@code offset}; returns its label. */
    private static int draw(long seed, int index, byte[] out, int offset) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + index);
        int label = index % CLASS_NAMES.size();
        int other = (label + 1 + rnd.nextInt(CLASS_NAMES.size() - 1)) % CLASS_NAMES.size();
        Pattern main = new Pattern(label, rnd);
        Pattern distractor = new Pattern(other, rnd);
        double blend = MIN_BLEND + (1 - MIN_BLEND) * rnd.nextDouble();
        double[] fg = color(rnd, 110, 255);
        double[] bg = color(rnd, 0, 145);
        for (int y = 0; y < Cifar.HEIGHT; y++) {
            for (int x = 0; x < Cifar.WIDTH; x++) {
                double p = blend * main.at(x, y) + (1 - blend) * distractor.at(x, y);
                for (int c = 0; c < Cifar.CHANNELS; c++) {
                    double v = bg[c] + (fg[c] - bg[c]) * p + NOISE_STD * rnd.nextGaussian();
                    out[offset + c * Cifar.PLANE + y * Cifar.WIDTH + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return label;
    }

    /** A random colour with channels in [lo, hi): foregrounds lean bright, backgrounds dark, with overlap. */
    private static double[] color(SplittableRandom rnd, double lo, double hi) {
        return new double[] {rnd.nextDouble(lo, hi), rnd.nextDouble(lo, hi), rnd.nextDouble(lo, hi)};
    }

    /** One class's pattern with random geometry; {@link #at} is its intensity in [0, 1]. */
    private static final class Pattern {
        final int kind;
        final double cx;
        final double cy;
        final double size;
        final double freq;
        final double phase;
        final long speckleSeed;

        Pattern(int kind, SplittableRandom rnd) {
            this.kind = kind;
            this.cx = 8 + rnd.nextDouble(16);
            this.cy = 8 + rnd.nextDouble(16);
            this.size = 4 + rnd.nextDouble(6);
            this.freq = 2 * Math.PI / (4 + rnd.nextDouble(5));
            this.phase = rnd.nextDouble(2 * Math.PI);
            this.speckleSeed = rnd.nextLong();
        }

        double at(int x, int y) {
            double dx = x - cx;
            double dy = y - cy;
            double r = Math.sqrt(dx * dx + dy * dy);
            return switch (kind) {
                case 0 -> wave(y * freq + phase);
                case 1 -> wave(x * freq + phase);
                case 2 -> wave((x + y) * freq * 0.7071 + phase);
                case 3 -> wave((x - y) * freq * 0.7071 + phase);
                case 4 -> wave(x * freq + phase) * wave(y * freq + phase) + (1 - wave(x * freq + phase)) * (1 - wave(y * freq + phase));
                case 5 -> r < size ? 1 : 0;
                case 6 -> Math.abs(r - size) < 1.6 ? 1 : 0;
                case 7 -> Math.abs(dx) < size * 0.9 && Math.abs(dy) < size * 0.9 ? 1 : 0;
                case 8 -> (Math.abs(dx) < 1.6 || Math.abs(dy) < 1.6) && Math.abs(dx) < size * 1.5 && Math.abs(dy) < size * 1.5 ? 1 : 0;
                default -> speckle(x, y);
            };
        }

        private static double wave(double t) {
            return 0.5 + 0.5 * Math.sin(t);
        }

        private double speckle(int x, int y) {
            long h = speckleSeed ^ ((long) (x / 2) * 0x9E3779B97F4A7C15L) ^ ((long) (y / 2) * 0xC2B2AE3D27D4EB4FL);
            h ^= h >>> 31;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
            return (h & 1) == 0 ? 1 : 0;
        }
    }
}
