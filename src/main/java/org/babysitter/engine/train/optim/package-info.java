/** Parameter update rules (SGD, momentum, Nesterov, RMSProp, Adam) behind one contract, each owning its state. */
package org.babysitter.engine.train.optim;
