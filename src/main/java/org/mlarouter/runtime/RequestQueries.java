package org.mlarouter.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.config.HttpKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.json.Json;
import org.mlarouter.ops.OperatorSecurity;
import org.mlarouter.ops.OperatorView.Answer;
import org.mlarouter.topology.Decided;
import org.mlarouter.topology.RequestStatus;
import org.mlarouter.topology.RouterTopology;

/**
 * Answers about requests from the router's stores, with Kafka Streams' interactive queries: a request's status from
 * the instance whose task holds its id (this one, or another asked over HTTP at its {@code application.server}), and
 * the review queue gathered from every instance. No personal data in any answer.
 */
final class RequestQueries {

    private static final ObjectMapper JSON = Json.MAPPER;

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final RouterConfig config;
    private final HttpClient http;
    private final String scheme;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestQueries.class);

    private final String authorization;
    /** What a personal field shows when it cannot be decrypted: erased, or its key not yet read. */
    static final String UNREADABLE = "(not readable: erased)";
    private final java.util.Optional<org.mlarouter.privacy.KeyEncryptionKeys> keyEncryptionKeys;
    /** The hosts refused as peers so far, each logged once. */
    private final java.util.Set<String> refusedPeers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param self     this instance's {@code application.server}, or null when it has none (no operator endpoint)
     * @param security how the instances' endpoints are protected: they ask one another over TLS, as the service user
     */
    RequestQueries(final Supplier<KafkaStreams> streams, final HostInfo self, final RouterConfig config, final OperatorSecurity security) {
        this.streams = streams;
        this.self = self;
        this.config = config;
        final HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        security.tls().ifPresent(client::sslContext);
        this.http = client.build();
        this.scheme = security.tls().isPresent() ? "https" : "http";
        this.authorization = security.peerAuthorization().orElse(null);
        this.keyEncryptionKeys = config.keyEncryptionKeys();
    }

    Answer requestStatus(final String requestId, final boolean localOnly) {
        return askByKey(RouterTopology.REQUEST_STATUS_STORE, requestId, localOnly, "/requests/" + encoded(requestId),
                "The request's store is not ready here; ask again shortly", (RequestStatus status) -> status == null
                        ? Answer.error(404, "No request " + requestId + " has been decided") : new Answer(200, status.toJson()));
    }

    /**
     * What a reviewer needs of a request pending review, beyond its status: the states, measures, offence category and
     * concerns, and with {@code withSubjects} (a signed-in reviewer) the subjects. Never the offence's description. 404
     * for a request that is not pending review (its request is no longer kept).
     */
    Answer pendingDetails(final String requestId, final boolean withSubjects, final boolean localOnly) {
        return askByKey(RouterTopology.PENDING_REVIEWS_STORE, requestId, localOnly,
                "/console/api/details/" + encoded(requestId) + (withSubjects ? "?subjects=true" : ""),
                "The review queue is not ready here; ask again shortly", (Decided pending) -> pending == null
                        ? Answer.error(404, "Request " + requestId + " is not pending review")
                        : new Answer(200, details(withSubjects ? opened(pending.decision()) : pending.decision(), withSubjects)
                                .put("deadline", pending.decision().getDecidedAt().plus(config.reviewDeadline(pending.decision().getRequest().getUrgency()))
                                        .toString()).put("timeZone", config.homeZone().getId())));
    }

    /**
     * A decision with its request's personal data in clear, for those entitled to it: decrypted with the request's data
     * key (the router's copy, in its status, on this instance: the one that holds its pending review) in encrypted mode.
     * A field that cannot be read (the request was erased) is shown as {@value #UNREADABLE}.
     */
    private RoutingDecision opened(final RoutingDecision decision) {
        if (keyEncryptionKeys.isEmpty() || !org.mlarouter.privacy.PersonalData.sealed(decision.getRequest())) {
            return decision;
        }
        final KafkaStreams client = streams.get();
        try {
            final ReadOnlyKeyValueStore<String, RequestStatus> statuses = client.store(StoreQueryParameters.fromNameAndType(
                    RouterTopology.REQUEST_STATUS_STORE, QueryableStoreTypes.<String, RequestStatus>keyValueStore()));
            final RequestStatus status = statuses.get(decision.getRequestId());
            if (status != null && status.dataKey() != null) {
                return org.mlarouter.privacy.PersonalData.open(decision, keyEncryptionKeys.get().unwrap(decision.getRequestId(), status.dataKey()));
            }
        } catch (final InvalidStateStoreException | org.mlarouter.privacy.FieldCipher.UndecryptableException e) {
            LOG.warn("The personal data of {} cannot be read: {}", decision.getRequestId(), e.getMessage());
        }
        return org.mlarouter.privacy.PersonalData.unreadable(decision, UNREADABLE);
    }

    /**
     * The answer about {@code requestId} from {@code storeName}: from this instance's store when its task holds the id
     * (or the question came from another instance), else from the instance that holds it, asked at {@code remotePath}.
     */
    private <V> Answer askByKey(final String storeName, final String requestId, final boolean localOnly, final String remotePath,
                                final String notReady, final java.util.function.Function<V, Answer> answer) {
        final KafkaStreams client = streams.get();
        if (client == null) {
            return Answer.error(503, "The router is starting");
        }
        final KeyQueryMetadata metadata = client.queryMetadataForKey(storeName, requestId, Serdes.String().serializer());
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
            return Answer.error(503, "The router is rebalancing; ask again shortly");
        }
        if (localOnly || metadata.activeHost().equals(self)) {
            final V value;
            try {
                value = RequestQueries.<V>store(client, storeName, metadata.partition()).get(requestId);
            } catch (final InvalidStateStoreException e) {
                return Answer.error(503, notReady);
            }
            return answer.apply(value);
        }
        return remote(metadata.activeHost(), remotePath);
    }

    private static String encoded(final String requestId) {
        return URLEncoder.encode(requestId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ObjectNode details(final RoutingDecision pending, final boolean withSubjects) {
        final org.mlarouter.avro.AssistanceRequest request = pending.getRequest();
        final ObjectNode node = JSON.createObjectNode().put("requestId", pending.getRequestId())
                .put("requestingState", request.getRequestingState()).put("requestedState", request.getRequestedState())
                .put("requestingAuthority", request.getRequestingAuthority()).put("kind", request.getKind().name())
                .put("urgency", request.getUrgency().name()).put("offenceCategory", request.getOffence().getCategory().name())
                .put("submittedAt", request.getSubmittedAt().toString());
        final ArrayNode measures = node.putArray("measures");
        request.getMeasures().forEach(measure -> measures.add(measure.name()));
        final ArrayNode concerns = node.putArray("concerns");
        request.getConcerns().forEach(concern -> concerns.add(concern.name()));
        if (withSubjects) {
            final ArrayNode subjects = node.putArray("subjects");
            request.getSubjects().forEach(person -> subjects.addObject().put("fullName", person.getFullName()).put("role", person.getRole().name()));
        }
        return node;
    }

    static <V> ReadOnlyKeyValueStore<String, V> store(final KafkaStreams client, final String name, final Integer partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters =
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore());
        if (partition != null) {
            parameters = parameters.withPartition(partition);
        }
        return client.store(parameters);
    }

    /** The client, or null while the router starts. */
    KafkaStreams client() {
        return streams.get();
    }

    /** Whether an instance is this one. */
    boolean isSelf(final HostInfo host) {
        return host.equals(self);
    }

    /** The answer of the instance at {@code host} to {@code path}, asked for its own stores' answer only. */
    Answer remote(final HostInfo host, final String path) {
        if (!config.isPeer(host.host())) {
            if (refusedPeers.add(host.host())) {
                LOG.warn("Instance {} holds answers this one is asked for, but {} is not in {}: no query (nor credential) is sent there",
                        host, host.host(), HttpKeys.HTTP_PEERS_CONFIG);
            }
            return Answer.error(503, "The instance that holds the answer, on " + host.host() + ", is not an allowed peer of this one ("
                    + HttpKeys.HTTP_PEERS_CONFIG + "): ask it directly");
        }
        final URI uri = URI.create(scheme + "://" + host.host() + ":" + host.port() + path + (path.contains("?") ? "&" : "?") + "local=true");
        try {
            final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            final JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (final com.fasterxml.jackson.core.JacksonException e) {
                return Answer.error(502, "Instance " + host + " answered HTTP " + response.statusCode() + " with what is not JSON");
            }
            return new Answer(response.statusCode(), body);
        } catch (final IOException e) {
            return Answer.error(502, "Instance " + host + " holds the answer but did not answer: " + e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "Interrupted");
        }
    }
}
