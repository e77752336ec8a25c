package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.SanityChecks;
import org.babysitter.testing.SharedData;
import org.junit.jupiter.api.Test;

/** On the real CIFAR-10 from ../shared/data (skipped when absent): reading, the lecture's split, sanity numbers. */
class RealCifarTest {
    @Test
    void theOfficialArchiveReadsWhole() throws Exception {
        Path archive = SharedData.require("cifar-10-binary.tar.gz");
        ForwardProgress progress = new ForwardProgress();
        LoadedImages images = CifarReader.read(archive, progress);
        assertEquals(1.0, progress.last(), 1e-9);
        assertEquals(50_000, images.training().size());
        assertEquals(10_000, images.test().size());
        assertEquals(Cifar.DEFAULT_CLASS_NAMES, images.classNames());
        for (int c : images.training().classCounts(10)) {
            assertEquals(5000, c);
        }
        for (int c : images.test().classCounts(10)) {
            assertEquals(1000, c);
        }
        Dataset d = SplitSpec.LECTURE.apply(images);
        assertEquals("49000 train / 1000 val / 10000 test", d.describeSplit());
        // the first training image of data_batch_1 is a frog (label 6); the first test image a cat (3)
        assertEquals(6, d.train().label(0));
        assertEquals(3, d.test().label(0));
        // validation is the last 1,000 training records: record 49,000 of the training file order
        assertEquals(images.training().label(49_000), d.val().label(0));
        assertEquals(images.training().pixel(49_999, 3071), d.val().pixel(999, 3071));
    }

    @Test
    void theSampleFolderMatchesTheArchivesFirstRecords() throws Exception {
        LoadedImages sample = CifarReader.read(SharedData.require("cifar-10-sample"), Progress.NONE);
        assertEquals(2000, sample.training().size());
        assertEquals(500, sample.test().size());
        Dataset d = SplitSpec.LECTURE.apply(sample);
        assertEquals("1800 train / 200 val / 500 test", d.describeSplit());
        assertEquals(6, sample.training().label(0));
    }

    @Test
    void lectureSanityNumbersOnRealImages() throws Exception {
        LoadedImages sample = CifarReader.read(SharedData.require("cifar-10-sample"), Progress.NONE);
        PreparedData data = PreparedData.prepare(sample, SplitSpec.LECTURE, Preprocessing.MEAN_IMAGE);
        List<SanityChecks.Result> initial = SanityChecks.initialLoss(NetConfig.lecture(), data, new EjmlGemm(true), 0, 1e3);
        assertEquals(Math.log(10), initial.get(0).value(), 0.01);
        assertEquals(3.07, initial.get(1).value(), 0.02);
        SanityChecks.Result overfit = SanityChecks.overfit(NetConfig.lecture(), data.dataset(), data, new EjmlGemm(true),
                20, 1e-3, 200, 0, null);
        assertTrue(overfit.pass(), overfit.line());
    }
}
