/** The headless training engine: everything the workbench computes, with no user-interface dependency. */
package org.babysitter.engine;
