/**
 * The one seam every matrix product goes through (GEMM) and its implementations: {@link
 * org.babysitter.engine.linalg.BlasGemm} over the bundled OpenBLAS ({@link org.babysitter.engine.linalg.BundledOpenBlas}),
 * the system's OpenBLAS or netlib's pure-Java BLAS, and EJML; {@link org.babysitter.engine.linalg.Gemms} chooses one at
 * start-up, checked by a self-test, and says why; and the bundled oneDNN's direct convolutions ({@link
 * org.babysitter.engine.linalg.OneDnnConv}) that a single-precision conv layer runs on.
 */
package org.babysitter.engine.linalg;
