package org.mlarouter.net;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.mlarouter.json.Json;

/**
 * The HTTP server of the operator endpoint and the embedded Schema Registry: Jetty 12's core server with a table of
 * declared routes ({@code GET /requests/{id}}). Connections are served by non-blocking selectors, so a client that
 * never finishes its headers holds no thread; calls run on a bounded pool of {@link #MAX_THREADS}; a connection idle for {@link #IDLE_TIMEOUT} (headers or body not arriving) is closed; headers are limited
 * to 8 KiB and bodies to what the server is built with (413 beyond).
 */
public final class WebServer implements AutoCloseable {

    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_THREADS = 16;
    private static final int HEADER_BYTES = 8 * 1024;

    /** What a route does with a call. */
    @FunctionalInterface
    public interface Route {
        void handle(WebCall call) throws Exception;
    }

    /** Runs before every route: answers the call itself (authentication wanted, say) and returns false, or lets it on. */
    @FunctionalInterface
    public interface Guard {
        boolean admit(WebCall call) throws Exception;
    }

    /** Writes the answer of a call that failed: {@code status} is Jetty's (400, 413) or 500. */
    @FunctionalInterface
    public interface Failure {
        void answer(WebCall call, int status, Exception cause);
    }

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;
    /** The declared routes, as {@code "METHOD /template/{param}"}. */
    private final List<String> declared;

    private WebServer(final Server server, final ServerConnector connector, final boolean tls, final List<String> declared) {
        this.declared = declared;
        this.server = server;
        this.connector = connector;
        this.tls = tls;
    }

    /**
     * @param threads what its threads are called
     * @param what    what it is, for messages ("Operator HTTP endpoint")
     */
    /** The routes this server declared, each {@code "METHOD /path/{param}"}: what an API description is checked against. */
    public List<String> routes() {
        return declared;
    }

    public static Builder builder(final String threads, final String what) {
        return new Builder(threads, what);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public URI url() {
        final String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create((tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (final Exception e) {
            throw new IllegalStateException("the HTTP server did not stop: " + e.getMessage(), e);
        }
    }

    /** A {@code {"error_code": status, "message": ...}} answer, Confluent's error shape, which every endpoint here uses. */
    public static void error(final WebCall call, final int status, final String message) {
        call.json(status, Json.error(status, message));
    }

    public static final class Builder {

        private final String name;
        private final String what;
        private final List<RouteTable.Declared> routes = new ArrayList<>();
        private String host = "127.0.0.1";
        private int port;
        private Optional<SSLContext> tls = Optional.empty();
        private long maxBody = 64 * 1024;
        private Guard guard = call -> true;
        private Route notFound = call -> error(call, 404, "Not found");
        private Failure failure = (call, status, cause) -> error(call, status, status == 500 ? "Internal error" : cause.getMessage());

        private Builder(final String name, final String what) {
            this.name = name;
            this.what = what;
        }

        public Builder bind(final String bindHost, final int bindPort) {
            this.host = bindHost;
            this.port = bindPort;
            return this;
        }

        public Builder tls(final Optional<SSLContext> context) {
            this.tls = context;
            return this;
        }

        /** The largest request body accepted, in bytes. */
        public Builder maxBody(final long bytes) {
            this.maxBody = bytes;
            return this;
        }

        public Builder guard(final Guard before) {
            this.guard = before;
            return this;
        }

        /** A route for {@code GET} (and {@code HEAD}) of a template like {@code /requests/{id}}. */
        public Builder get(final String template, final Route route) {
            return route("GET", template, route);
        }

        public Builder post(final String template, final Route route) {
            return route("POST", template, route);
        }

        public Builder put(final String template, final Route route) {
            return route("PUT", template, route);
        }

        public Builder delete(final String template, final Route route) {
            return route("DELETE", template, route);
        }

        public Builder notFound(final Route route) {
            this.notFound = route;
            return this;
        }

        public Builder failure(final Failure answer) {
            this.failure = answer;
            return this;
        }

        private Builder route(final String method, final String template, final Route route) {
            routes.add(new RouteTable.Declared(method, RouteTable.segments(template), route));
            return this;
        }

        /** Binds and starts the server; fails with a clear line when the port is taken. */
        public WebServer start() {
            Ports.requireFree(host, port, what);
            final QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
            threads.setName(name);
            threads.setDaemon(true);
            threads.setReservedThreads(0);
            final Server server = new Server(threads);
            final HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setRequestHeaderSize(HEADER_BYTES);
            http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            // Confluent's clients send a subject with '/' as %2F; the registry must take it as part of one segment.
            http.setUriCompliance(UriCompliance.DEFAULT.with("mla-router", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
            final ServerConnector connector;
            if (tls.isPresent()) {
                final SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setSslContext(tls.get());
                final SecureRequestCustomizer secure = new SecureRequestCustomizer();
                // Instances call one another by address; the certificate names the service, not each address.
                secure.setSniHostCheck(false);
                http.addCustomizer(secure);
                connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
            } else {
                connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
            }
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            server.addConnector(connector);
            final SizeLimitHandler limited = new SizeLimitHandler(maxBody, -1);
            limited.setHandler(new RouteTable(List.copyOf(routes), guard, notFound, failure));
            server.setHandler(limited);
            server.setStopTimeout(0);
            try {
                server.start();
            } catch (final Exception e) {
                try {
                    server.stop();
                } catch (final Exception ignored) {
                    // already failing
                }
                throw new Ports.PortInUseException(what + ": cannot listen on " + host + ":" + port + ": " + e.getMessage());
            }
            return new WebServer(server, connector, tls.isPresent(), routes.stream()
                    .map(route -> route.method() + " /" + String.join("/", route.template())).toList());
        }
    }
}
