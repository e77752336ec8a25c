package org.babysitter.engine.data;

import static org.babysitter.engine.data.CifarReaderTest.labelOf;
import static org.babysitter.engine.data.CifarReaderTest.pixelOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches pickled by python3 and numpy themselves (protocols 2, 4 and 5, C and Fortran order, labels as a list and
 * as an array), read like those {@link TestPickle} writes; and a pickle python makes to run a command, refused with
 * nothing run. Skipped when python3 or numpy is absent.
 */
class PythonCifarNumpyTest {
    private static final int N = 12;

    @TempDir
    Path tmp;

    /** Runs {@code script} with python3 in {@code tmp}; the test is skipped if python3 with numpy is not there. */
    private void python(String script) throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3: skipped");
        Process check = new ProcessBuilder(python.toString(), "-c", "import numpy").redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        assumeTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0, "python3 has no numpy: skipped");
        Path file = Files.writeString(tmp.resolve("make.py"), script);
        Process p = new ProcessBuilder(python.toString(), file.toString()).directory(tmp.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), "python failed: " + out);
    }

    private static final String MAKE = """
            import os, pickle, numpy as np
            n = %d
            i = np.arange(n).reshape(n, 1)
            j = np.arange(3072).reshape(1, 3072)
            data = ((i * 37 + j * 11 + 200) %% 256).astype(np.uint8)
            labels = [int((k * 7 + k // 100) %% 10) for k in range(n)]
            names = ['plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
            def batch(folder, protocol, d, y):
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, 'data_batch_1'), 'wb') as f:
                    pickle.dump({'batch_label': 'training batch 1 of 5', 'labels': y, 'data': d,
                                 'filenames': ['f%%d.png' %% k for k in range(n)]}, f, protocol=protocol)
                with open(os.path.join(folder, 'batches.meta'), 'wb') as f:
                    pickle.dump({'num_cases_per_batch': n, 'label_names': names, 'num_vis': 3072}, f, protocol=protocol)
            for p in (2, 3, 4, 5):
                batch('p%%d' %% p, p, data, labels)
                batch('p%%d-fortran' %% p, p, np.asfortranarray(data), np.array(labels, dtype=np.int64))
            """;

    @Test
    void numpysPicklesReadAtEveryProtocol() throws Exception {
        python(MAKE.formatted(N));
        List<String> names = List.of("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
        for (String folder : List.of("p2", "p3", "p4", "p5", "p2-fortran", "p3-fortran", "p4-fortran", "p5-fortran")) {
            LoadedImages images = CifarReader.read(tmp.resolve(folder), Progress.NONE);
            assertEquals(N, images.training().size(), folder);
            assertEquals(names, images.classNames(), folder);
            for (int i = 0; i < N; i++) {
                assertEquals(labelOf(i), images.training().label(i), folder + " label " + i);
                for (int j = 0; j < Cifar.PIXELS; j++) {
                    assertEquals(pixelOf(i, j), images.training().pixel(i, j), folder + " image " + i + " pixel " + j);
                }
            }
        }
    }

    /**
     * The real set (../shared/data) made into a cifar-10-python.tar.gz by python and numpy as the official one is
     * (a dict per batch, data uint8 10000x3072, labels a list), read straight from the archive: the same 60,000
     * images and labels as the binary archive.
     */
    @Test
    void theRealSetPickledByPythonMatchesTheBinary() throws Exception {
        Path binary = org.babysitter.testing.SharedData.require("cifar-10-binary.tar.gz");
        python("""
                import io, pickle, tarfile, numpy as np
                src = tarfile.open('%s', 'r:gz')
                out = tarfile.open('cifar-10-python.tar.gz', 'w:gz', compresslevel=1)
                def add(name, obj):
                    b = pickle.dumps(obj, protocol=2)
                    info = tarfile.TarInfo('cifar-10-batches-py/' + name)
                    info.size = len(b)
                    out.addfile(info, io.BytesIO(b))
                for m in src.getmembers():
                    base = m.name.split('/')[-1]
                    if base.endswith('.bin'):
                        r = np.frombuffer(src.extractfile(m).read(), dtype=np.uint8).reshape(-1, 3073)
                        add(base[:-4], {'batch_label': base, 'labels': [int(v) for v in r[:, 0]],
                                        'data': np.ascontiguousarray(r[:, 1:]), 'filenames': ['x.png'] * len(r)})
                add('batches.meta', {'num_cases_per_batch': 10000, 'num_vis': 3072, 'label_names':
                    ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']})
                out.close()
                """.formatted(binary));
        LoadedImages expected = CifarReader.read(binary, Progress.NONE);
        ForwardProgress progress = new ForwardProgress();
        LoadedImages actual = CifarReader.read(tmp.resolve("cifar-10-python.tar.gz"), progress);
        assertEquals(1.0, progress.last(), 1e-9);
        assertEquals(Cifar.DEFAULT_CLASS_NAMES, actual.classNames());
        for (ImageSet[] pair : new ImageSet[][] {{expected.training(), actual.training()}, {expected.test(), actual.test()}}) {
            assertEquals(pair[0].size(), pair[1].size());
            for (int i = 0; i < pair[0].size(); i++) {
                assertEquals(pair[0].label(i), pair[1].label(i), "label " + i);
                for (int j = 0; j < Cifar.PIXELS; j++) {
                    if (pair[0].pixel(i, j) != pair[1].pixel(i, j)) {
                        assertEquals(pair[0].pixel(i, j), pair[1].pixel(i, j), "image " + i + " pixel " + j);
                    }
                }
            }
        }
        assertEquals(50_000, actual.training().size());
        assertEquals(10_000, actual.test().size());
    }

    @Test
    void aPickleThatWouldRunACommandIsRefused() throws Exception {
        Path marker = tmp.resolve("pwned");
        python("""
                import os, pickle
                class Evil:
                    def __reduce__(self):
                        return (os.system, ('touch %s',))
                for p in (2, 4):
                    os.makedirs('p%%d' %% p)
                    with open('p%%d/data_batch_1' %% p, 'wb') as f:
                        pickle.dump({'data': Evil(), 'labels': [1]}, f, protocol=p)
                """.formatted(marker));
        for (String folder : List.of("p2", "p4")) {
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> CifarReader.read(tmp.resolve(folder), Progress.NONE));
            assertTrue(e.getMessage().matches(".*refusing pickle global (posix|os)\\.system at byte \\d+: "
                    + "a CIFAR-10 batch does not use it"), e.getMessage());
        }
        assertFalse(Files.exists(marker), "nothing was executed");
    }
}
