/** Numerical gradients by 1-, 2- and 4-sided differences and the relative error that compares them with analytic ones. */
package org.babysitter.engine.gradcheck;
