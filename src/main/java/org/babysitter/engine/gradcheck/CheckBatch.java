package org.babysitter.engine.gradcheck;

import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.preprocess.PreparedData;
import org.ejml.data.DMatrixRMaj;

/** The images a gradient check runs on: the first few training images as rows, preprocessed, and their labels. */
public record CheckBatch(DMatrixRMaj x, int[] labels) {
    public static CheckBatch of(PreparedData data, int images) {
        ImageSet train = data.dataset().train().head(images);
        DMatrixRMaj x = new DMatrixRMaj(1, 1);
        data.preprocessor().rows(train, 0, train.size(), x);
        int[] y = new int[train.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = train.label(i);
        }
        return new CheckBatch(x, y);
    }
}
