/** Turns stored image bytes into zero-centred (optionally scaled) rows of a data matrix, fitted on the training split. */
package org.babysitter.engine.preprocess;
