package org.babysitter.engine.data;

import java.util.List;

/**
 * Images as read from a source, before splitting: the training records (from which validation is
 * taken) and the test records (possibly none).
 *
 * @param source     where they came from, in words (a path or "built-in")
 * @param classNames one name per label
 */
public record LoadedImages(String source, List<String> classNames, ImageSet training, ImageSet test) {
    public LoadedImages {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must be named");
        }
        classNames = List.copyOf(classNames);
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("need at least 2 class names, got " + classNames.size());
        }
        if (training == null || training.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        if (test == null) {
            test = ImageSet.empty();
        }
    }
}
