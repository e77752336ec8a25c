package org.babysitter.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One convolutional stage of a net: {@code conv (k x k x filters, stride, pad) - [spatial batch norm] - activation -
 * [max pool (pool x pool, stride pool)]}. Written as {@code "conv 5x5x16 pad 2 pool 2"} (stride 1 and no pooling
 * are left out); {@link #parse} reads a comma-separated list of these.
 *
 * @param pool the side of the pooling windows, 0 for none
 */
public record ConvStage(int filters, int kernel, int stride, int pad, int pool) {
    /** ConvNetJS's CIFAR-10 demo: three stages of 5x5 filters (16, 20, 20), each padded by 2 and pooled 2x2. */
    public static final List<ConvStage> CONVNETJS = List.of(
            new ConvStage(16, 5, 1, 2, 2), new ConvStage(20, 5, 1, 2, 2), new ConvStage(20, 5, 1, 2, 2));

    public ConvStage {
        if (filters < 1 || kernel < 1 || stride < 1 || pad < 0 || pool < 0 || pool == 1) {
            throw new IllegalArgumentException("a conv stage needs filters, kernel and stride >= 1, pad >= 0 and pool 0 (none)"
                    + " or >= 2: " + filters + " filters, kernel " + kernel + ", stride " + stride + ", pad " + pad + ", pool " + pool);
        }
    }

    /** The volume this stage makes of {@code in}; a clear error if its filters or pooling do not tile it. */
    public Volume output(Volume in) {
        Volume v = new Volume(filters, Conv.outSize(in.height(), kernel, stride, pad), Conv.outSize(in.width(), kernel, stride, pad));
        return pool == 0 ? v : new Volume(filters, Conv.outSize(v.height(), pool, pool, 0), Conv.outSize(v.width(), pool, pool, 0));
    }

    /**
     * Stages from {@code "conv 5x5x16 pad 2 pool 2, conv 5x5x20 stride 2"}; {@code "convnetjs"} is {@link #CONVNETJS};
     * blank is none. A clear error names the part it cannot read.
     */
    public static List<ConvStage> parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("none")) {
            return List.of();
        }
        if (t.equals("convnetjs")) {
            return CONVNETJS;
        }
        List<ConvStage> out = new ArrayList<>();
        for (String part : t.split(",")) {
            out.add(parseOne(part.strip()));
        }
        return List.copyOf(out);
    }

    private static ConvStage parseOne(String part) {
        String[] w = part.split("\\s+");
        if (w.length < 2 || !w[0].equals("conv")) {
            throw new IllegalArgumentException("a conv stage reads like 'conv 5x5x16 pad 2 pool 2', not '" + part + "'");
        }
        String[] size = w[1].split("x");
        if (size.length != 3 || !size[0].equals(size[1])) {
            throw new IllegalArgumentException("'" + w[1] + "' in '" + part + "' is not KxKxFILTERS (square filters, e.g. 5x5x16)");
        }
        int kernel = number(size[0], part);
        int filters = number(size[2], part);
        int stride = 1;
        int pad = 0;
        int pool = 0;
        for (int i = 2; i < w.length; i += 2) {
            if (i + 1 >= w.length) {
                throw new IllegalArgumentException("'" + w[i] + "' in '" + part + "' needs a number after it");
            }
            int v = number(w[i + 1], part);
            switch (w[i]) {
                case "stride" -> stride = v;
                case "pad" -> pad = v;
                case "pool" -> pool = v;
                default -> throw new IllegalArgumentException("'" + w[i] + "' in '" + part + "' is not stride, pad or pool");
            }
        }
        return new ConvStage(filters, kernel, stride, pad, pool);
    }

    private static int number(String s, String part) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' in '" + part + "' is not a whole number");
        }
    }

    /** Stages written as {@link #parse} reads them. */
    public static String format(List<ConvStage> stages) {
        return String.join(", ", stages.stream().map(ConvStage::toString).toList());
    }

    @Override
    public String toString() {
        return "conv " + kernel + "x" + kernel + "x" + filters + (stride == 1 ? "" : " stride " + stride)
                + (pad == 0 ? "" : " pad " + pad) + (pool == 0 ? "" : " pool " + pool);
    }
}
