package org.babysitter.engine.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.junit.jupiter.api.Test;

/**
 * The assistant's labelled suite on the built-in data (the same runs as {@code babysitter diagnose}): every broken run
 * named by one of its expected rules (the bar is 90%), no warning on a healthy run (bar 5%), and the first
 * right warning of every broken run within the first 10% of it.
 */
class SuiteTest {
    @Test
    void theBrokenRunsAreNamedRightAndTheHealthyOnesRaiseNoAlarm() {
        PreparedData data = PreparedData.prepare(BuiltInData.generate(), SplitSpec.LECTURE, Preprocessing.MEAN_IMAGE);
        List<Suite.Outcome> outcomes = new ArrayList<>();
        for (Suite.Case c : Suite.cases(data.dataset().classCount())) {
            outcomes.add(Suite.run(c, data.dataset(), Gemms.best(), null));
        }
        String table = Suite.table(outcomes);
        System.out.print(table);
        List<Suite.Outcome> broken = outcomes.stream().filter(o -> !o.c().healthy()).toList();
        List<Suite.Outcome> healthy = outcomes.stream().filter(o -> o.c().healthy()).toList();
        assertTrue(broken.size() >= 10 && healthy.size() >= 5, table);
        long right = broken.stream().filter(Suite.Outcome::right).count();
        assertTrue(right >= Math.ceil(0.9 * broken.size()), table);
        assertEquals(0, healthy.stream().filter(o -> !o.right()).count(), table); // 1 of 6 would be 17%, above the 5% bar
        long early = broken.stream().filter(Suite.Outcome::early).count();
        assertEquals(broken.size(), early, table);
    }
}
