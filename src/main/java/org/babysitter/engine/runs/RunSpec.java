package org.babysitter.engine.runs;

import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.train.TrainConfig;

/**
 * What a run is before it trains: what {@link RunStore#record} stores in the run's row.
 *
 * @param name          a name for people (may be changed later by {@link RunStore#rename})
 * @param net           the architecture
 * @param train         the trainer's parameters (seed included)
 * @param preprocessing the preprocessing in words
 * @param data          which data
 */
public record RunSpec(String name, NetConfig net, TrainConfig train, String preprocessing, DataIdentity data) {
    public RunSpec {
        if (name == null || name.isBlank() || net == null || train == null || preprocessing == null || data == null) {
            throw new IllegalArgumentException("a run spec needs a name, the configs, the preprocessing and the data");
        }
    }
}
