package org.mlarouter.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.json.AvroJson;
import org.mlarouter.json.Json;
import org.mlarouter.json.JsonFormatException;
import org.mlarouter.ops.OperatorView.Answer;
import org.mlarouter.policy.StateCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agency's request over HTTPS (docs/contract.md, "Agencies over HTTPS"): the JSON form checked as {@code submit}
 * checks it (400 naming the field), then written to the request topic as the same {@code AssistanceRequest} an
 * agency's Kafka producer would write (Confluent framing, the registered schema), keyed by its id.
 * <ul>
 *   <li>Idempotent on {@code requestId}: the same body again answers as the first time and writes nothing; another body
 *       with the same id, or an id the router has already decided, answers 409 {@code DUPLICATE_REQUEST_ID}.</li>
 *   <li>{@code wait}: the first decision's status (200), asked of the router until it shows or the wait ends (then 202).</li>
 *   <li>Back-pressure: at most {@value #IN_FLIGHT} requests are being written at once; the next wait for a place. When
 *       Kafka does not take a request in time, 503 with {@code Retry-After}: it is the agency's to send again.</li>
 * </ul>
 * Logged with the request id and the agency's name only, never the subjects or the offence's description.
 */
final class RequestIntake implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestIntake.class);
    static final int IN_FLIGHT = 256;
    /** The longest {@code wait}. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final int REMEMBERED = 100_000;

    private final RouterSettings settings;
    private final Semaphore places = new Semaphore(IN_FLIGHT);
    /** The bodies' digests of the ids written by this instance, the latest {@value #REMEMBERED}. */
    private final Map<String, String> written = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };
    private KafkaProducer<String, AssistanceRequest> producer;

    RequestIntake(final RouterSettings settings) {
        this.settings = settings;
    }

    /**
     * @param body   the request in the JSON form
     * @param agency    who sends it (its name is logged)
     * @param authority the agency's authority, which the request's requestingAuthority must be
     * @param wait   how long to wait for the first decision (zero: answer 202 once written)
     * @param status the status of an id, as {@code GET /requests/{id}} answers it
     */
    Answer submit(final byte[] body, final String agency, final Optional<String> authority, final Duration wait,
                  final java.util.function.Function<String, Answer> status) {
        final JsonNode tree;
        final AssistanceRequest request;
        try {
            tree = Json.MAPPER.readTree(body);
            request = AvroJson.fromJson(tree, AssistanceRequest.class);
        } catch (final JsonFormatException e) {
            return invalid(e.path(), e.getMessage());
        } catch (final java.io.IOException | RuntimeException e) {
            return invalid("$", "The body is not a request in the JSON form: " + e.getClass().getSimpleName());
        }
        final String id = request.getRequestId();
        if (id == null || id.isBlank()) {
            return invalid("requestId", "requestId is blank");
        }
        if (authority.isPresent() && !authority.get().equals(request.getRequestingAuthority())) {
            return Answer.error(403, "An agency submits its own authority's requests: requestingAuthority must be " + authority.get());
        }
        final Optional<String> badCode = StateCodes.problem("requestingState", request.getRequestingState())
                .map(problem -> "requestingState:" + problem)
                .or(() -> StateCodes.problem("requestedState", request.getRequestedState()).map(problem -> "requestedState:" + problem));
        if (badCode.isPresent()) {
            final String[] fieldAndProblem = badCode.get().split(":", 2);
            return invalid(fieldAndProblem[0], fieldAndProblem[1]);
        }
        final String digest = digest(tree);
        final String before;
        synchronized (written) {
            before = written.get(id);
        }
        if (before != null && !before.equals(digest)) {
            return duplicate(id);
        }
        if (before == null) {
            final Answer decided = status.apply(id);
            if (decided.status() == 200) {
                return duplicate(id);
            }
            final Optional<Answer> refused = write(request, agency);
            if (refused.isPresent()) {
                return refused.get();
            }
            synchronized (written) {
                written.put(id, digest);
            }
        }
        return awaitDecision(id, wait, () -> status.apply(id));
    }

    private Optional<Answer> write(final AssistanceRequest request, final String agency) {
        final String topic = settings.router().topic(TopicRole.REQUESTS);
        try {
            if (!places.tryAcquire(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(unavailable("The router is writing " + IN_FLIGHT + " requests already; send this one again shortly"));
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(unavailable("Interrupted"));
        }
        try {
            producer().send(new ProducerRecord<>(topic, request.getRequestId(), request)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            // Not the request's fault: Kafka or the registry did not take it. Nothing was decided; the agency sends it again.
            LOG.warn("Request {} from {} not written to {}: {}", request.getRequestId(), agency, topic,
                    (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName());
            return Optional.of(unavailable("Kafka did not take the request within " + WRITE_TIMEOUT.toSeconds() + " s; send it again shortly"));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(unavailable("Interrupted"));
        } finally {
            places.release();
        }
        LOG.info("Request {} received over HTTPS from {} and written to {}", request.getRequestId(), agency, topic);
        return Optional.empty();
    }

    /** 200 with the first decision's status once the router shows it within {@code wait}; else 202 {@code RECEIVED}. */
    private static Answer awaitDecision(final String id, final Duration wait, final Supplier<Answer> status) {
        final long deadline = System.nanoTime() + wait.toNanos();
        while (!wait.isZero()) {
            final Answer now = status.get();
            if (now.status() == 200) {
                return now;
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Answer(202, Json.object().put("requestId", id).put("status", "RECEIVED")
                .put("statusUrl", "/requests/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")));
    }

    private static Answer invalid(final String field, final String problem) {
        final com.fasterxml.jackson.databind.node.ObjectNode error = Json.error(400, problem);
        error.put("field", field.startsWith("$.") ? field.substring(2) : field);
        return new Answer(400, error);
    }

    private static Answer duplicate(final String id) {
        return Answer.error(409, "DUPLICATE_REQUEST_ID", "Request " + id + " was already submitted with another body, or decided");
    }

    private static Answer unavailable(final String message) {
        final com.fasterxml.jackson.databind.node.ObjectNode error = Json.error(503, message);
        error.put("retryAfterSeconds", 5);
        return new Answer(503, error);
    }

    /** The parsed body's digest, so that a retry that only spaces it differently is the same request. */
    private static String digest(final JsonNode tree) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Json.MAPPER.writeValueAsBytes(tree)));
        } catch (final java.io.IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized KafkaProducer<String, AssistanceRequest> producer() {
        if (producer == null) {
            producer = new Clients(settings).producer(AssistanceRequest.class, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis(),
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis(), ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    (int) WRITE_TIMEOUT.toMillis() / 2, ProducerConfig.LINGER_MS_CONFIG, 0));
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
