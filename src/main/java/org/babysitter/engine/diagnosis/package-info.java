/** The babysitting assistant: reads a run's metrics as they come and says, in the lecture's words, what they mean. */
package org.babysitter.engine.diagnosis;
