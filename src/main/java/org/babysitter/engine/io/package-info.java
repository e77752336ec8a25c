/** File formats and safe writing: numpy .npy/.npz, atomic temp-and-move writes. */
package org.babysitter.engine.io;
