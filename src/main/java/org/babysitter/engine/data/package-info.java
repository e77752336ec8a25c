/** CIFAR-10 and built-in image sets kept as bytes, with their train/validation/test splits. */
package org.babysitter.engine.data;
