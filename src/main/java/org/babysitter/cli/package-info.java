/** The headless command line: train, gradcheck, sanity and bench. */
package org.babysitter.cli;
