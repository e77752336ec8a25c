/**
 * Search across machines (issue 15): an embedded Hazelcast member per machine ({@link org.babysitter.engine.cluster.ClusterNode}),
 * joined only by explicit TCP/IP addresses under a cluster name derived from the user's name and shared secret
 * ({@link org.babysitter.engine.cluster.ClusterConfig}); a search trial travels as a plain value
 * ({@link org.babysitter.engine.cluster.TrialJob}) through the member's executor service and is run by the
 * {@link org.babysitter.engine.cluster.TrialHost} of the machine that holds the same data, which says so clearly when it
 * does not. No window, no JavaFX.
 */
package org.babysitter.engine.cluster;
