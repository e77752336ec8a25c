/** What a run reports while it trains: per-iteration and per-epoch records, run events, the listener contract and a run history. */
package org.babysitter.engine.metrics;
