package org.mlarouter.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.net.URI;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mlarouter.avro.OutcomeKind;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.clients.OperatorClient;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.RequestSubmitter;
import org.mlarouter.clients.TopicReader;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;

/** {@code embedded --demo}: the sample requests submitted to a running router, and their decisions printed. */
final class Demo {

    /** The id of the first sample request, as examples/requests.jsonl has it. */
    static final String FIRST_SAMPLE_ID = "KZ-PG-2026-0001";

    private Demo() {
    }

    /**
     * Submits the sample requests (with ids made unique to this run), waits for their decisions and prints them with a
     * summary by route.
     *
     * @return the decisions, by request id
     */
    static Map<String, RoutingDecision> run(final RouterSettings settings, final PrintStream out, final Duration timeout,
                                            final Optional<URI> operatorUrl, final Optional<String> credentials) throws IOException, InterruptedException {
        // The README's ids on a fresh stack, so that its walk-through runs as written; made unique once they are taken.
        final String suffix = firstRun(operatorUrl, credentials) ? ""
                : "-" + Long.toString(Instant.now().toEpochMilli(), 36).toUpperCase(java.util.Locale.ROOT);
        final StringBuilder lines = new StringBuilder();
        try (BufferedReader sample = new BufferedReader(new InputStreamReader(
                Demo.class.getResourceAsStream("/examples/requests.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = sample.readLine()) != null) {
                lines.append(line.replaceFirst("\"requestId\": \"([^\"]+)\"", "\"requestId\": \"$1" + suffix + "\"")).append('\n');
            }
        }
        final Clients clients = new Clients(settings);
        final RequestSubmitter.Result submitted;
        final Instant start = Instant.now();
        try (KafkaProducer<String, AssistanceRequest> producer = clients.producer(AssistanceRequest.class)) {
            submitted = new RequestSubmitter(producer, settings.router().topic(TopicRole.REQUESTS), out)
                    .submit(new BufferedReader(new StringReader(lines.toString())), "examples/requests.jsonl");
        }
        out.println("Demo: submitted " + submitted.submitted + " sample requests to " + settings.router().topic(TopicRole.REQUESTS));
        final Map<String, RoutingDecision> decisions = awaitDecisions(settings, clients, submitted.requestIds, timeout);
        final Duration took = Duration.between(start, Instant.now());
        printDecisions(out, submitted.requestIds, decisions);
        out.println("Demo: " + decisions.size() + " of " + submitted.submitted + " decided in " + took.toMillis() + " ms");
        // The last request to review: the README's walk-through takes the first ones.
        final Optional<RoutingDecision> toReview = submitted.requestIds.stream().map(decisions::get)
                .filter(decision -> decision != null && decision.getRoute() == Route.NEEDS_REVIEW).reduce((first, second) -> second);
        if (toReview.isPresent()) {
            reviewWalkThrough(settings, clients, out, toReview.get().getRequestId(), timeout, operatorUrl, credentials);
        }
        out.flush();
        return decisions;
    }

    /** Whether the sample's first id is not decided yet (asked of the operator endpoint); false when it cannot be asked. */
    private static boolean firstRun(final Optional<URI> operatorUrl, final Optional<String> credentials) {
        if (operatorUrl.isEmpty()) {
            return false;
        }
        try {
            // 503 while the router's stores open after a start: asked again, for up to 30 s.
            final Instant until = Instant.now().plusSeconds(30);
            int status = new OperatorClient(operatorUrl.get(), credentials.orElse(null)).status(FIRST_SAMPLE_ID).status();
            while (status == 503 && Instant.now().isBefore(until)) {
                TimeUnit.MILLISECONDS.sleep(250);
                status = new OperatorClient(operatorUrl.get(), credentials.orElse(null)).status(FIRST_SAMPLE_ID).status();
            }
            return status == 404;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Accepts one request pending review as a reviewer would, waits for its final decision and shows its status. */
    private static void reviewWalkThrough(final RouterSettings settings, final Clients clients, final PrintStream out, final String requestId,
                                          final Duration timeout, final Optional<URI> operatorUrl, final Optional<String> credentials)
            throws IOException, InterruptedException {
        final String reviews = settings.router().topic(TopicRole.REVIEWS);
        out.println();
        out.println("Review walk-through: a reviewer accepts " + requestId + ", as with");
        out.println("  ./mla-router review list --user admin");
        out.println("  ./mla-router review accept " + requestId + " --grounds \"Reciprocity confirmed\" --user admin");
        out.println("(the demo writes the outcome with the router's own signing key, as the router does for a signed-in reviewer)");
        final ReviewOutcome outcome = new ReviewOutcome(requestId, Route.ACCEPTED, null, "DEMO-REVIEWER", "Reciprocity confirmed", Instant.now(),
                OutcomeKind.DECISION);
        try (KafkaProducer<String, ReviewOutcome> producer = clients.outcomeProducer()) {
            producer.send(new ProducerRecord<>(reviews, requestId, outcome)).get(30, TimeUnit.SECONDS);
        } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            out.println("Demo: the outcome could not be written to " + reviews + ": " + e.getMessage());
            return;
        }
        final boolean decided = awaitFinal(settings, clients, requestId, timeout);
        out.println("Demo: " + (decided ? "final decision ACCEPTED on " + settings.router().topic(TopicRole.ACCEPTED) : "no final decision yet"));
        if (decided && operatorUrl.isPresent()) {
            out.println("  ./mla-router status " + requestId + " --user admin");
            final OperatorClient.Answer status = new OperatorClient(operatorUrl.get(), credentials.orElse(null)).status(requestId);
            final StringBuilder history = new StringBuilder();
            status.json().path("history").forEach(entry -> history.append(history.length() == 0 ? "" : " -> ").append(entry.get("route").asText())
                    .append(entry.get("reviewer").isNull() ? "" : " (" + entry.get("reviewer").asText() + ")"));
            out.println("  " + requestId + ": " + status.json().path("status").asText() + "; history " + history);
        }
        operatorUrl.ifPresent(url -> out.println("Demo: the decisions are on the console, " + url + "/ (reviews at " + url + "/reviews)"));
    }

    private static boolean awaitFinal(final RouterSettings settings, final Clients clients, final String requestId, final Duration timeout) {
        try (KafkaConsumer<String, RoutingDecision> consumer = clients.consumer(RoutingDecision.class)) {
            TopicReader.assign(consumer, List.of(settings.router().topic(TopicRole.ACCEPTED)), true);
            final Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (final org.apache.kafka.clients.consumer.ConsumerRecord<String, RoutingDecision> record : consumer.poll(Duration.ofMillis(200))) {
                    if (requestId.equals(record.key()) && record.value().getReview() != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Map<String, RoutingDecision> awaitDecisions(final RouterSettings settings, final Clients clients, final List<String> requestIds, final Duration timeout) {
        final RouterConfig config = settings.router();
        final Map<String, RoutingDecision> decisions = new LinkedHashMap<>();
        try (KafkaConsumer<String, RoutingDecision> consumer = clients.consumer(RoutingDecision.class)) {
            TopicReader.assign(consumer, TopicRole.decisions().stream().map(config::topic).toList(), true);
            final Instant deadline = Instant.now().plus(timeout);
            while (decisions.size() < requestIds.size() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (requestIds.contains(record.key())) {
                        decisions.put(record.key(), record.value());
                    }
                });
            }
        }
        return decisions;
    }

    private static void printDecisions(final PrintStream out, final List<String> requestIds, final Map<String, RoutingDecision> decisions) {
        out.println();
        out.printf("%-24s %-3s %-30s %-13s %-14s %s%n", "request", "cp", "kind", "route", "legal basis", "reasons");
        final Map<Route, Integer> byRoute = new EnumMap<>(Route.class);
        for (final String requestId : requestIds) {
            final RoutingDecision decision = decisions.get(requestId);
            if (decision == null) {
                out.printf("%-24s (no decision yet)%n", requestId);
                continue;
            }
            byRoute.merge(decision.getRoute(), 1, Integer::sum);
            out.printf("%-24s %-3s %-30s %-13s %-14s %s%n", requestId, decision.getCounterpartState(), decision.getRequest().getKind(),
                    decision.getRoute(), decision.getLegalBasis() == null ? "-" : decision.getLegalBasis(),
                    decision.getReasons().stream().map(Reason::getCode).map(Object::toString).collect(Collectors.joining(",")));
        }
        out.println();
        out.println("Summary: " + byRoute.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", ")));
    }

}
