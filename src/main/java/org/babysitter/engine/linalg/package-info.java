/** The one seam every matrix product goes through (GEMM) and its implementations. */
package org.babysitter.engine.linalg;
