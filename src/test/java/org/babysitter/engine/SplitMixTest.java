package org.babysitter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SplitMixTest {
    @Test
    void drawsWhatSplittableRandomDraws() {
        SplittableRandom jdk = new SplittableRandom(42);
        SplitMix ours = new SplitMix(42);
        for (int i = 0; i < 200_000; i++) {
            int bound = 1 + i % 50_000; // powers of two and not, as the trainer's shuffles ask
            assertEquals(jdk.nextInt(bound), ours.nextInt(bound), "nextInt(" + bound + ") at draw " + i);
        }
        for (int i = 0; i < 20_000; i++) {
            assertEquals(jdk.nextGaussian(), ours.nextGaussian(), "nextGaussian at draw " + i);
            assertEquals(jdk.nextDouble(), ours.nextDouble(), "nextDouble at draw " + i);
        }
        SplittableRandom jdkChild = jdk.split();
        SplitMix child = ours.split();
        for (int i = 0; i < 20_000; i++) {
            assertEquals(jdkChild.nextDouble(), child.nextDouble(), "a split's nextDouble at draw " + i);
        }
        assertEquals(jdk.nextLong(), ours.nextLong(), "the parent after a split");
    }

    @Test
    void aCopyDrawsTheSameAndSetStateRewinds() {
        SplitMix a = new SplitMix(7);
        a.nextInt(10);
        SplitMix b = a.copy();
        long[] fromA = {a.nextLong(), a.nextLong(), a.nextInt(1000)};
        long[] fromB = {b.nextLong(), b.nextLong(), b.nextInt(1000)};
        assertEquals(fromA[0], fromB[0]);
        assertEquals(fromA[1], fromB[1]);
        assertEquals(fromA[2], fromB[2]);
        SplitMix c = new SplitMix(8);
        assertNotEquals(a.nextLong(), c.nextLong());
        SplitMix mark = a.copy();
        long next = a.nextLong();
        a.setState(mark);
        assertEquals(next, a.nextLong(), "setState puts the generator back where the copy was");
    }
}
