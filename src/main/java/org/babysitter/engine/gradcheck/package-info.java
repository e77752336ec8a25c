/**
 * Gradient checks the lecture's way: analytic gradients against 1-, 2- and 4-sided differences at a step chosen per
 * tensor ({@link org.babysitter.engine.gradcheck.GradientCheck}), entries whose steps cross a kink left out, a floor
 * per entry that tells round-off and truncation from a wrong gradient, the lecture's bands
 * ({@link org.babysitter.engine.gradcheck.Band}) and a verdict per tensor
 * ({@link org.babysitter.engine.gradcheck.Verdict}); {@link org.babysitter.engine.gradcheck.GradientCheckTable} is the
 * table the command line and the app show.
 */
package org.babysitter.engine.gradcheck;
