package org.babysitter.engine.preprocess;

import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;

/** A split data set and the preprocessing fitted on its training split: what a run trains on. */
public record PreparedData(Dataset dataset, Preprocessor preprocessor) {
    public PreparedData {
        if (dataset == null || preprocessor == null) {
            throw new IllegalArgumentException("dataset and preprocessor must be given");
        }
    }

    /** Splits loaded images and fits the preprocessing on the training split. */
    public static PreparedData prepare(LoadedImages images, SplitSpec split, Preprocessing preprocessing) {
        Dataset d = split.apply(images);
        return new PreparedData(d, Preprocessor.fit(d.train(), preprocessing));
    }
}
