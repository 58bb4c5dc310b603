package org.mlarouter.net;

/**
 * Settings of the JDK's HTTP server that the registry and the operator endpoint need, applied before the first server
 * of the process is made (the JDK reads them once).
 */
public final class HttpServers {

    /**
     * Without TCP_NODELAY the JDK's server writes a response's headers and body in two segments, and the second waits
     * for the client's delayed acknowledgement: about 40 ms per answer on Linux. A stream thread asking the embedded
     * registry for one unknown (forged) schema id after another was held to about 22 records a second by this.
     */
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private HttpServers() {
    }

    /** Applies the settings, unless the user set them (call before creating a server). */
    public static void configure() {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }
}
