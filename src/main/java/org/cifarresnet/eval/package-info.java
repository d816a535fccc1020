/** Evaluation on the test set (loss, accuracy, confusion matrix) and prediction on users' images. */
package org.cifarresnet.eval;
