package org.mlarouter.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks a port before a server binds it, so that a port in use gives one clear line naming it. */
public final class Ports {

    private Ports() {
    }

    /** Fails with a {@link PortInUseException} if {@code host:port} cannot be bound now. */
    public static void requireFree(final String host, final int port, final String what) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (final IOException e) {
            throw new PortInUseException(what + ": port " + port + " on " + host + " is already in use");
        }
    }

    /** A free port on loopback, for tests and for ports chosen at run time. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new IllegalStateException("no free port on loopback", e);
        }
    }

    /** A port that a server of the stack needs is taken. */
    public static final class PortInUseException extends RuntimeException {
        public PortInUseException(final String message) {
            super(message);
        }
    }
}
