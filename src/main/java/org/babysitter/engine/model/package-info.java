/** Layers with forward and backward side by side, weight initialisation and the fully connected net. */
package org.babysitter.engine.model;
