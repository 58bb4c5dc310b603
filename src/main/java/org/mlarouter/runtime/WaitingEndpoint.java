package org.mlarouter.runtime;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.ops.OperatorSecurity;
import org.mlarouter.ops.OperatorServer;
import org.mlarouter.ops.OperatorView;

/**
 * The operator endpoint while {@code run} waits for Kafka, before the router itself starts: on the router's address and
 * with its protection, {@code /health/ready} answers 503 saying what it waits for, {@code /health/live} 200 (waiting is
 * not failing), and the console says it too. Closed when Kafka answers, so that the router opens its own endpoint there.
 */
public final class WaitingEndpoint implements AutoCloseable {

    private final OperatorServer server;

    private WaitingEndpoint(final OperatorServer server) {
        this.server = server;
    }

    /**
     * Opens the endpoint, unless the router runs without one ({@code --http-port -1}).
     *
     * @param waitingFor what it waits for, asked at each answer (so that it can say how long, or how many attempts)
     */
    public static WaitingEndpoint open(final RouterSettings settings, final Supplier<String> waitingFor) throws IOException {
        final RouterConfig config = settings.router();
        if (config.httpPort() < 0) {
            return new WaitingEndpoint(null);
        }
        final OperatorSecurity security = OperatorSecurity.of(config);
        return new WaitingEndpoint(OperatorServer.start(config.httpHost(), config.httpPort(), new OperatorView() {
            @Override
            public KafkaStreams.State state() {
                return KafkaStreams.State.CREATED;
            }

            @Override
            public Optional<String> problem() {
                return Optional.of("waiting for " + waitingFor.get());
            }

            @Override
            public String metrics() {
                return "";
            }

            @Override
            public String topology() {
                return "";
            }

            @Override
            public Answer overview() {
                return Answer.error(503, "The router is waiting for " + waitingFor.get());
            }
        }, security));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
