/**
 * Hyperparameter search, the lecture's second half: a {@link org.babysitter.engine.search.SearchSpec} (ranges and
 * scales, random or grid), trials as plain values ({@link org.babysitter.engine.search.Trial} in,
 * {@link org.babysitter.engine.search.TrialResult} out), pruners that stop hopeless trials within an epoch, a
 * background {@link org.babysitter.engine.search.SearchRunner}, and coarse -> fine narrowing with the lecture's
 * worry about the best trials sitting at the edge of a range ({@link org.babysitter.engine.search.Refine}). No window,
 * no thread of the caller's: a trial can run anywhere its data can be loaded.
 */
package org.babysitter.engine.search;
