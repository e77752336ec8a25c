package org.babysitter.engine.preprocess;

import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;

/** A split data set and the preprocessing fitted on its training split: what a run trains on. */
public record PreparedData(Dataset dataset, Preprocessor preprocessor) {
    public PreparedData {
        if (dataset == null || preprocessor == null) {
            throw new IllegalArgumentException("dataset and preprocessor must be given");
        }
    }

    /**
     * Splits loaded images and fits the preprocessing on the whole training split, as the lecture does: training on
     * the first 20 images (the overfitting check) subtracts the same mean image as training on all 49,000, so a
     * subset's images look to the net exactly as they do in a full run.
     */
    public static PreparedData prepare(LoadedImages images, SplitSpec split, Preprocessing preprocessing) {
        Dataset d = split.apply(images);
        ImageSet fullTrain = split.withTrainSize(SplitSpec.ALL).apply(images).train();
        return new PreparedData(d, Preprocessor.fit(fullTrain, preprocessing));
    }
}
