/** The training loop: configuration, mid-run controls, divergence rules, best-model keeping and checkpoints. */
package org.babysitter.engine.train;
