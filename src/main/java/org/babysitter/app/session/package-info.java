/** The workbench state off and on the FX thread: the session, background jobs, the one rate-limited pump and the view models. */
package org.babysitter.app.session;
