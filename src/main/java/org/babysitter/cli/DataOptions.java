package org.babysitter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.CifarReader;
import org.babysitter.engine.data.DataFormatException;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import picocli.CommandLine.Option;

/** Where the images come from, how they are split and preprocessed. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "PATH",
            description = "CIFAR-10: the cifar-10-batches-bin folder, cifar-10-binary.tar.gz or one .bin batch; or the python version (cifar-10-batches-py, cifar-10-python.tar.gz, one pickled batch). Default: built-in generated images (no download).")
    Path data;

    @Option(names = "--preprocess", paramLabel = "KIND", completionCandidates = Choices.Preprocessings.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, the lecture's); statistics from the training split.")
    Preprocessing preprocessing = Preprocessing.MEAN_IMAGE;

    @Option(names = "--val-size", paramLabel = "N",
            description = "Validation images, the last N training records (default: 1000, at most a tenth of the set);"
                    + " 0: none, the best epoch is then the one of the best train accuracy.")
    int valSize = SplitSpec.LECTURE.valSize();

    @Option(names = {"--subset", "--train-size"}, paramLabel = "N",
            description = "Train on the first N training images only, e.g. 20 to overfit (default: all).")
    int trainSize = SplitSpec.LECTURE.trainSize();

    @Option(names = "--test-size", paramLabel = "N", description = "Test images (default: all).")
    int testSize = SplitSpec.LECTURE.testSize();

    PreparedData load(PrintWriter err) throws DataFormatException {
        return PreparedData.prepare(loadImages(err), split(), preprocessing);
    }

    /** The images as loaded, before the split. */
    LoadedImages loadImages(PrintWriter err) throws DataFormatException {
        if (data == null) {
            return BuiltInData.generate();
        }
        return CifarReader.read(data, new PrintingProgress(err, "Loading " + data.getFileName()));
    }

    SplitSpec split() {
        return new SplitSpec(valSize, trainSize, testSize);
    }

    /** Prints a progress line every tenth of the way. */
    static final class PrintingProgress implements Progress {
        private final PrintWriter err;
        private final String what;
        private int lastTenth = -1;

        PrintingProgress(PrintWriter err, String what) {
            this.err = err;
            this.what = what;
        }

        @Override
        public void update(double fraction, String detail) {
            int tenth = (int) Math.floor(fraction * 10);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                err.printf("%s: %d%%%n", what, tenth * 10);
            }
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
