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
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
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

    private Demo() {
    }

    /**
     * Submits the sample requests (with ids made unique to this run), waits for their decisions and prints them with a
     * summary by route.
     *
     * @return the decisions, by request id
     */
    static Map<String, RoutingDecision> run(final RouterSettings settings, final PrintStream out, final Duration timeout) throws IOException {
        final String suffix = "-" + Long.toString(Instant.now().toEpochMilli(), 36).toUpperCase(java.util.Locale.ROOT);
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
        out.flush();
        return decisions;
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
