package org.babysitter.engine.runs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;

/**
 * Which data a run trained on: the source in words and a SHA-256 of the data, so that two runs on "the same" path
 * can be told apart when the files changed. For files it is the files' hash ({@link RunStore#identify}, cached by
 * path, size and modification time); for generated data it is the hash of the images themselves.
 *
 * @param name     the source in words, as the dataset says it
 * @param checksum "sha256:" and 64 hex digits
 */
public record DataIdentity(String name, String checksum) {
    public DataIdentity {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("data identity needs a name");
        }
        if (checksum == null || !checksum.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a checksum is sha256: and 64 hex digits, got " + checksum);
        }
    }

    /**
     * The identity of images held in memory (the built-in generated set): SHA-256 over every image's label and
     * 3,072 bytes, training, validation then test.
     */
    public static DataIdentity ofImages(Dataset data) {
        MessageDigest sha = sha256();
        for (ImageSet set : new ImageSet[] {data.train(), data.val(), data.test()}) {
            for (int i = 0; i < set.size(); i++) {
                sha.update((byte) set.label(i));
                sha.update(set.pixelArray(i), set.pixelOffset(i), Cifar.PIXELS);
            }
        }
        return new DataIdentity(data.source(), hex(sha.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static String hex(byte[] digest) {
        return "sha256:" + HexFormat.of().formatHex(digest);
    }
}
