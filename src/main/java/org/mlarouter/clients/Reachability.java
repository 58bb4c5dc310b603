package org.mlarouter.clients;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.serde.AvroSerdeConfig;

/**
 * Whether the command-line tools can reach what they talk to, asked once before they start, within
 * {@code mla.tools.timeout}: a tool that cannot gives up with one line naming the address and why (not reachable,
 * credentials refused, not a Schema Registry), instead of waiting on a client that retries for ever.
 */
public final class Reachability {

    private static final ObjectMapper JSON = org.mlarouter.json.Json.MAPPER;

    private Reachability() {
    }

    /** Why Kafka or the registry cannot be used, in one line naming the address. */
    public static final class Failure extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        /** Whether waiting could help: nothing answered yet, or what answered said no (credentials, not a registry). */
        public final boolean answered;

        Failure(final String message, final boolean answered) {
            super(message);
            this.answered = answered;
        }
    }

    /**
     * Why a network call failed, in words: "connection refused: nothing listens there", "unknown host", "no answer within
     * 30 s"; Java's own words (often none: a refused connection has no message) are not for people.
     */
    public static String why(final Throwable failure, final Duration timeout) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException) {
                return "connection refused: nothing listens there";
            }
            if (cause instanceof java.net.UnknownHostException || cause instanceof java.nio.channels.UnresolvedAddressException) {
                return "unknown host";
            }
            if (cause instanceof java.net.http.HttpTimeoutException || cause instanceof TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return "no answer within " + timeout.toSeconds() + " s";
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                return "the TLS handshake failed (" + cause.getMessage() + ")";
            }
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** "X could not be reached within 15 s" when the time ran out; else "X could not be reached: why", at once. */
    private static String notReached(final String where, final Throwable failure, final Duration timeout) {
        final String why = why(failure, timeout);
        return why.startsWith("no answer within ") ? where + " could not be reached within " + timeout.toSeconds() + " s"
                : where + " could not be reached: " + why;
    }

    /** @throws Failure naming the brokers, when Kafka does not answer in time or refuses the credentials */
    public static void requireKafka(final RouterSettings settings) throws InterruptedException {
        final Duration timeout = settings.router().toolsTimeout();
        final Map<String, Object> properties = settings.adminProperties();
        properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        final String where = "Kafka at " + settings.bootstrapServers();
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                throw new Failure(where + " refused the credentials: " + cause.getMessage(), true);
            }
            throw new Failure(notReached(where, cause, timeout), false);
        } catch (final TimeoutException e) {
            throw new Failure(notReached(where, e, timeout), false);
        }
    }

    /** @throws Failure naming the URL, when the registry does not answer, refuses the credentials or is not one */
    public static void requireRegistry(final RouterSettings settings) throws InterruptedException {
        final AvroSerdeConfig serde = new AvroSerdeConfig(settings.serdeConfigs());
        final String url = serde.getString(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG).split(",")[0].trim();
        if (url.startsWith("mock://")) {
            return;
        }
        final Duration timeout = settings.router().toolsTimeout();
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/subjects")).timeout(timeout);
        final org.apache.kafka.common.config.types.Password userInfo = serde.getPassword(AvroSerdeConfig.USER_INFO_CONFIG);
        if ("USER_INFO".equals(serde.getString(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG)) && userInfo != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.value().getBytes(StandardCharsets.UTF_8)));
        }
        final HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(timeout).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new Failure(notReached("The Schema Registry at " + url, e, timeout), false);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new Failure("The Schema Registry at " + url + " refused the credentials (HTTP " + response.statusCode() + ")", true);
        }
        final JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (final IOException e) {
            throw new Failure(url + " answered HTTP " + response.statusCode() + " with what is not JSON: it is not a Schema Registry", true);
        }
        if (response.statusCode() != 200 || body == null || !body.isArray()) {
            throw new Failure(url + " answered HTTP " + response.statusCode() + " to GET /subjects: it is not a Schema Registry", true);
        }
    }
}
