package org.babysitter.engine.data;

import java.util.List;

/**
 * A data set ready for training: train, validation and test images over the same classes.
 *
 * @param source     where the images came from, in words
 * @param classNames one name per label
 */
public record Dataset(String source, List<String> classNames, ImageSet train, ImageSet val, ImageSet test) {
    public Dataset {
        classNames = List.copyOf(classNames);
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("need at least 2 classes");
        }
        if (train == null || train.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        if (val == null || test == null) {
            throw new IllegalArgumentException("validation and test sets must be given (possibly empty)");
        }
    }

    public int classCount() {
        return classNames.size();
    }

    /** "49000 train / 1000 val / 10000 test". */
    public String describeSplit() {
        return train.size() + " train / " + val.size() + " val / " + test.size() + " test";
    }
}
