package org.babysitter.engine.data;

import java.util.List;

/** Geometry of CIFAR-10 records: 32x32 RGB images stored channel-planar (all red, then green, then blue). */
public final class Cifar {
    public static final int WIDTH = 32;
    public static final int HEIGHT = 32;
    public static final int CHANNELS = 3;
    /** Pixels per channel plane. */
    public static final int PLANE = WIDTH * HEIGHT;
    /** Values per image: D = 32 * 32 * 3 = 3072. */
    public static final int PIXELS = PLANE * CHANNELS;
    /** Bytes per record in the binary version: one label byte, then the pixels. */
    public static final int RECORD_BYTES = 1 + PIXELS;
    public static final int CLASSES = 10;
    /** The names batches.meta.txt lists, used when a single .bin comes without it. */
    public static final List<String> DEFAULT_CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private Cifar() {
    }
}
