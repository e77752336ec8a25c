package org.babysitter.engine.data;

/**
 * How training records are split, as in the lecture: validation is the <em>last</em> {@code valSize}
 * training records (49,000..49,999 of CIFAR-10), training the first {@code trainSize} of the rest,
 * test the first {@code testSize} test records.
 *
 * @param valSize   validation records, or {@link #AUTO}: 1,000, but at most a tenth of the training records
 * @param trainSize training records, or {@link #ALL} for every record left after validation; a small
 *                  number (20) gives the lecture's overfitting check
 * @param testSize  test records, or {@link #ALL}
 */
public record SplitSpec(int valSize, int trainSize, int testSize) {
    public static final int AUTO = -1;
    public static final int ALL = 0;
    /** The lecture's split: 49,000 / 1,000 / 10,000 on CIFAR-10 (smaller sets keep a tenth for validation). */
    public static final SplitSpec LECTURE = new SplitSpec(AUTO, ALL, ALL);

    public SplitSpec {
        if (valSize < AUTO) {
            throw new IllegalArgumentException("validation size must be >= 0 (or AUTO), got " + valSize);
        }
        if (trainSize < 0) {
            throw new IllegalArgumentException("training size must be >= 0 (0 = all), got " + trainSize);
        }
        if (testSize < 0) {
            throw new IllegalArgumentException("test size must be >= 0 (0 = all), got " + testSize);
        }
    }

    /** The same split with only the first {@code n} training records (the overfitting check). */
    public SplitSpec withTrainSize(int n) {
        return new SplitSpec(valSize, n, testSize);
    }

    /** Validation size for a set of {@code records} training records. */
    public int resolvedValSize(int records) {
        return valSize == AUTO ? Math.min(1000, records / 10) : valSize;
    }

    /** Applies the split; an explicit size larger than what is available is an error, not a silent clamp. */
    public Dataset apply(LoadedImages images) {
        int n = images.training().size();
        int val = resolvedValSize(n);
        if (val >= n) {
            throw new IllegalArgumentException("validation size " + val + " leaves no training images out of " + n);
        }
        int left = n - val;
        if (trainSize > left) {
            throw new IllegalArgumentException("training size " + trainSize + " exceeds the " + left
                    + " images left after taking " + val + " for validation");
        }
        int train = trainSize == ALL ? left : trainSize;
        ImageSet test = images.test();
        if (testSize > test.size()) {
            throw new IllegalArgumentException("test size " + testSize + " exceeds the " + test.size() + " test images");
        }
        int testCount = testSize == ALL ? test.size() : testSize;
        return new Dataset(images.source(), images.classNames(),
                images.training().slice(0, train),
                images.training().slice(n - val, n),
                test.slice(0, testCount));
    }
}
