/** The JavaFX desktop workbench. */
package org.babysitter.app;
