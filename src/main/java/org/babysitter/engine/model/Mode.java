package org.babysitter.engine.model;

/** Training or test behaviour: batch norm uses batch statistics and dropout drops units only in TRAIN. */
public enum Mode {
    TRAIN, TEST
}
