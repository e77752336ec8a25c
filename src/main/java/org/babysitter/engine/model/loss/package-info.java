/** Classification losses (softmax cross-entropy, multiclass SVM) with their score gradients. */
package org.babysitter.engine.model.loss;
