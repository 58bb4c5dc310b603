package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.json.AvroJson;
import org.mlarouter.serde.AvroSerdeConfig;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.Decisions;
import org.mlarouter.testing.Figures;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.testing.Reviewer;
import org.mlarouter.testing.RouterUnderTest;

/**
 * Faults while requests flow, the router running as a separate process: killed with SIGKILL, one of two instances
 * killed, the broker stopped and restarted, the Schema Registry unreachable. After each, every request has exactly
 * one decision or one dead letter (read_committed, every output topic and the dead-letter topic).
 */
class FaultToleranceIT {

    private static final int PARTITIONS = 6;

    /** The broker lets a streams group (KIP-1071) have the short session timeout the classic group gets from its clients. */
    @RegisterExtension
    static final KafkaStack KAFKA = KafkaStack.configured(stack -> Map.of("group.streams.min.session.timeout.ms", "6000",
            "group.streams.min.heartbeat.interval.ms", "1000"), List.of());

    @TempDir
    Path workDir;
    private RouterUnderTest app;
    private final List<RouterProcess> routers = new ArrayList<>();
    private List<String> extraArguments = List.of();
    private boolean staticMembership;
    private String scenario = "";

    @BeforeEach
    void createTopicsAndTreaties(final TestInfo test) throws Exception {
        scenario = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("?");
        app = KAFKA.router("fault", PARTITIONS).publishShippedTreaties();
    }

    @AfterEach
    void stopRouters() throws InterruptedException {
        for (final RouterProcess router : routers) {
            router.close();
        }
    }

    private RouterProcess startRouter(final String instance) throws IOException {
        final RouterProcess router = RouterProcess.start(workDir.resolve("router-" + instance + ".log"), routerArguments(instance));
        routers.add(router);
        return router.awaitRunning(Duration.ofSeconds(90));
    }

    /** Produces requests {@code from} to {@code to - 1}, cycling through the sample requests; returns their ids. */
    private List<String> produce(final int from, final int to) throws IOException {
        final List<String> samples = Files.readAllLines(Path.of("examples/requests.jsonl"));
        final List<String> ids = new ArrayList<>();
        // The router's own client settings (Clients): idempotent, and one request in flight, which a broker restart
        // mid-stream needs (docs/reliability.md).
        try (KafkaProducer<String, AssistanceRequest> producer = app.clients().producer(AssistanceRequest.class)) {
            for (int i = from; i < to; i++) {
                final AssistanceRequest request = AvroJson.parse(samples.get(i % samples.size()), AssistanceRequest.class);
                request.setRequestId(app.prefix() + "-" + i);
                producer.send(new ProducerRecord<>(app.topic(TopicRole.REQUESTS), request.getRequestId(), request));
                ids.add(request.getRequestId());
            }
            producer.flush();
        }
        return ids;
    }

    private void awaitWritten(final long records) {
        Await.until(records + " records written to the output topics", Duration.ofSeconds(120),
                () -> app.writtenToOutputs() >= records);
    }

    /** Every request exactly once across the decision topics and the dead-letter topic, and nothing else. */
    private void assertExactlyOnce(final List<String> ids) {
        try {
            assertExactlyOnceQuietly(ids);
        } catch (final AssertionError e) {
            final String log = routers.isEmpty() ? "" : routers.get(routers.size() - 1).log();
            throw new AssertionError(e.getMessage() + "\nlast router's log (end):\n" + log.substring(Math.max(0, log.length() - 8000)), e);
        }
    }

    private void assertExactlyOnceQuietly(final List<String> ids) {
        Await.until("a committed decision or dead letter for each of " + ids.size() + " requests", Duration.ofSeconds(180),
                () -> app.committedByKey().size() >= ids.size());
        final Map<String, Integer> counts = app.committedByKey();
        final List<String> missing = ids.stream().filter(id -> !counts.containsKey(id)).collect(Collectors.toList());
        final List<String> duplicated = counts.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toList());
        final Map<String, Integer> byTopic = app.committedByTopic();
        final String figures = String.format("| %s | %d | %d | %d | %d | %d | %d | %d |%n", scenario, ids.size(),
                byTopic.get(app.topic(TopicRole.ACCEPTED)), byTopic.get(app.topic(TopicRole.REFUSED)),
                byTopic.get(app.topic(TopicRole.NEEDS_REVIEW)), byTopic.get(app.topic(TopicRole.DEAD_LETTERS)), missing.size(), duplicated.size());
        Figures.record(figures);
        assertEquals(List.of(), missing, "lost");
        assertEquals(List.of(), duplicated, "duplicated");
        assertEquals(ids.size(), counts.size(), "nothing but these requests");
        assertEquals(0, byTopic.get(app.topic(TopicRole.DEAD_LETTERS)), "no dead letter: nothing in these scenarios is bad input");
    }

    /**
     * Runs the router with {@code group.protocol} set to {@code protocol}. Under the streams protocol the broker holds the
     * session timeout per group, so the test sets it there, as an operator would with {@code kafka-configs}.
     */
    /**
     * {@code streams-static} is the streams protocol with static membership (Kafka 4.4): each instance has a
     * {@code group.instance.id} of its own, kept across its restarts.
     */
    private void useProtocol(final String protocol) throws Exception {
        scenario = scenario + " (group.protocol=" + protocol + ")";
        staticMembership = protocol.equals("streams-static");
        final String groupProtocol = staticMembership ? "streams" : protocol;
        extraArguments = List.of("-p", StreamsConfig.GROUP_PROTOCOL_CONFIG + "=" + groupProtocol);
        if (groupProtocol.equals("streams")) {
            app.configureGroup(Map.of("streams.session.timeout.ms", "6000", "streams.heartbeat.interval.ms", "1500"));
        }
    }

    private void assertGroupProtocol(final String protocol, final String... instances) throws Exception {
        final boolean streams = protocol.startsWith("streams");
        assertEquals(Optional.of(streams ? GroupType.STREAMS : GroupType.CLASSIC), app.groupType(), "the group's type");
        final String log = routers.get(0).log();
        assertEquals(streams ? 2 : 0, log.lines().filter(line -> line.contains("is ignored under group.protocol=streams")).count(),
                "the client settings the streams protocol ignores are named at start, and only under it:\n" + log);
        if (streams) {
            // Kafka Streams gives each stream thread's consumer the instance id with the thread's number after it.
            final List<String> expected = staticMembership
                    ? java.util.Arrays.stream(instances).map(instance -> instanceId(instance) + "-1").sorted().toList() : List.of();
            Await.until(instances.length + " members in the streams group", Duration.ofSeconds(30), () -> memberCount() == instances.length);
            assertEquals(expected, app.streamsGroupInstanceIds(), "static instance ids in the streams group, and only with static membership: "
                    + app.streamsGroupMembers() + "\n" + log);
        }
    }

    private int memberCount() {
        try {
            return app.streamsGroupMemberCount();
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String instanceId(final String instance) {
        return "router-" + instance;
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "streams", "streams-static"})
    void shouldDecideEachRequestExactlyOnceWhenTheRouterIsKilledThreeTimes(final String protocol) throws Exception {
        useProtocol(protocol);
        final int count = 12_000;
        startRouter("a");
        assertGroupProtocol(protocol, "a");
        final List<String> ids = produce(0, count);
        for (int kill = 1; kill <= 3; kill++) {
            awaitWritten((long) count * kill / 5);
            routers.get(routers.size() - 1).kill();
            startRouter("a");
        }
        assertExactlyOnce(ids);
    }

    // The take-over on the classic group and on a streams group with static members (the slower to notice a member
    // gone); the dynamic streams group's take-over is the rebalance of the kill-three-times case.
    @ParameterizedTest
    @ValueSource(strings = {"classic", "streams-static"})
    void shouldLetASecondInstanceTakeOverWhenTheFirstIsKilled(final String protocol) throws Exception {
        useProtocol(protocol);
        final int count = 20_000;
        final RouterProcess first = startRouter("a");
        startRouter("b");
        assertGroupProtocol(protocol, "a", "b");
        final List<String> ids = produce(0, count);
        awaitWritten(count / 4);
        first.kill();
        assertExactlyOnce(ids);
    }

    @Test
    void shouldRideOutABrokerRestart() throws Exception {
        final int count = 10_000;
        startRouter("a");
        final List<String> ids = new ArrayList<>(produce(0, count / 2));
        awaitWritten(count / 8);
        KAFKA.restartBroker();
        ids.addAll(produce(count / 2, count));
        // Play the supervisor (as docker-compose's restart policy does): a router that gave up during the outage
        // exits 1, and is started again.
        Await.until("the output after the broker restart", Duration.ofSeconds(120), () -> {
            if (!routers.get(routers.size() - 1).isAlive()) {
                try {
                    startRouter("a");
                } catch (final IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return app.writtenToOutputs() >= count;
        });
        assertExactlyOnce(ids);
    }

    @Test
    void shouldWaitForKafkaAtStartSayingSoOnce() throws Exception {
        final int httpPort = org.mlarouter.net.Ports.free();
        final List<String> arguments = new ArrayList<>(routerArguments("waiting"));
        arguments.set(arguments.indexOf("--http-port") + 1, String.valueOf(httpPort));
        arguments.addAll(List.of("-p", RouterConfig.TOOLS_TIMEOUT_CONFIG + "=2s"));
        KAFKA.stopBroker();
        final RouterProcess router;
        try {
            router = RouterProcess.start(workDir.resolve("router-waiting.log"), arguments);
            routers.add(router);
            Await.until("the router to say it waits for Kafka", Duration.ofSeconds(60),
                    () -> router.log().contains("waiting for Kafka") || !router.isAlive());
            // The operator endpoint says it too, with the attempts so far: five of them go by (two seconds each), and
            // each would have said it again in the log.
            final java.util.concurrent.atomic.AtomicReference<String> ready = new java.util.concurrent.atomic.AtomicReference<>("");
            Await.until("five attempts to reach Kafka, as /health/ready counts them", Duration.ofSeconds(60), () -> {
                ready.set(readiness(httpPort));
                return !router.isAlive() || attemptsIn(ready.get()) >= 5;
            });
            assertTrue(router.isAlive(), "the router keeps waiting, as a service should:\n" + router.log());
            assertTrue(ready.get().startsWith("503 ") && ready.get().contains("\"problem\":\"waiting for Kafka: ")
                    && ready.get().contains(KAFKA.bootstrapServers()), ready.get());
        } finally {
            KAFKA.startStoppedBroker();
        }
        router.awaitRunning(Duration.ofSeconds(90));
        final List<String> ids = produce(0, 1000);
        assertExactlyOnce(ids);
        final String log = router.log();
        assertEquals(1, log.lines().filter(line -> line.contains("waiting for Kafka")).count(), "said once:\n" + log);
        final String whileWaiting = log.substring(0, log.indexOf("answered after"));
        assertEquals(List.of(), whileWaiting.lines().filter(line -> line.contains("] WARN ") || line.contains("] ERROR ")).toList(),
                "no stream of client warnings while it waits");
    }

    /** The waits, in seconds, of the stream-thread replacements the router has announced so far. */
    private static List<Long> replacementWaits(final String log) {
        final java.util.regex.Matcher replacing = java.util.regex.Pattern.compile("A stream thread failed; replacing it in (\\d+) s").matcher(log);
        final List<Long> waits = new ArrayList<>();
        while (replacing.find()) {
            waits.add(Long.parseLong(replacing.group(1)));
        }
        return waits;
    }

    /** The operator endpoint's readiness answer as "STATUS BODY", or "" while it does not answer. */
    private static String readiness(final int httpPort) {
        try {
            final java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() + " " + answer.body();
        } catch (final IOException e) {
            return "";
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** N from "(attempt N, " in a waiting router's readiness answer; 0 when there is none. */
    private static int attemptsIn(final String readiness) {
        final java.util.regex.Matcher attempt = java.util.regex.Pattern.compile("\\(attempt (\\d+), ").matcher(readiness);
        return attempt.find() ? Integer.parseInt(attempt.group(1)) : 0;
    }

    @Test
    void shouldWaitOutASchemaRegistryOutageWithoutDeadLettering() throws Exception {
        final List<String> ids = new ArrayList<>(produce(0, 100));
        KAFKA.stopRegistry();
        // The router starts with empty schema caches: it needs the registry for the first record it reads or writes.
        // Told to wait for the registry; without that, it would stop at once (RunStartTest).
        final List<String> arguments = new ArrayList<>(routerArguments("outage"));
        arguments.add("--wait-for-registry");
        final RouterProcess router = RouterProcess.start(workDir.resolve("router-outage.log"), arguments);
        routers.add(router);
        try {
            Await.until("the router to notice the outage", Duration.ofSeconds(90),
                    () -> router.log().contains("Schema Registry unavailable") || router.log().contains("cannot be reached"));
            assertEquals(1, router.log().lines().filter(line -> line.contains("starting anyway (--wait-for-registry)")).count(),
                    "run says once that it starts without the registry:\n" + router.log());
            // Failed stream threads are replaced with a growing wait, not as fast as they fail: four replacements,
            // each announced with a wait twice the one before (1 s, 2 s, 4 s, 8 s).
            final java.time.Instant noticed = java.time.Instant.now();
            Await.until("four stream-thread replacements while the registry is down", Duration.ofSeconds(90),
                    () -> !router.isAlive() || replacementWaits(router.log()).size() >= 4);
            assertTrue(router.isAlive(), "the router rides out the outage");
            final List<Long> waits = replacementWaits(router.log());
            System.out.println("FIGURES registry down: stream thread replacements after waits of " + waits + " s, the fourth "
                    + Duration.between(noticed, java.time.Instant.now()).toSeconds() + " s after the outage was noticed");
            assertEquals(List.of(1L, 2L, 4L, 8L), waits.subList(0, 4), "no storm of thread replacements: each waits twice the one before");
            assertEquals(1, router.log().lines().filter(line -> line.contains("records wait for it, none is dead-lettered for it")).count(),
                    "the stream threads' trouble with the registry is said once, however often they try");
            assertEquals(0, app.committedByTopic().get(app.topic(TopicRole.DEAD_LETTERS)), "no request is dead-lettered for the registry's absence");
        } finally {
            KAFKA.startRegistry();
        }
        assertExactlyOnce(ids);
        assertTrue(router.log().contains("answers again, after"), "and said once more when it is over");
    }

    @Test
    void shouldApplyEachReviewOnceWhileTheRouterIsKilledThreeTimes() throws Exception {
        final int count = 20_000;
        // Deadlines of seconds, so that reviews go overdue while the router is killed and restarted.
        extraArguments = List.of("-p", ReviewKeys.REVIEW_DEADLINE_ROUTINE_CONFIG + "=3s", "-p", ReviewKeys.REVIEW_DEADLINE_URGENT_CONFIG + "=3s",
                "-p", ReviewKeys.REVIEW_CHECK_INTERVAL_CONFIG + "=1s");
        startRouter("a");
        final List<String> ids = produce(0, count);
        try (Reviewer reviewer = new Reviewer(app)) {
            for (int kill = 1; kill <= 3; kill++) {
                awaitWritten((long) count * kill / 5);
                routers.get(routers.size() - 1).kill();
                startRouter("a");
            }
            final Decisions.Reviewed reviewed = new Decisions(app).awaitReviewsApplied(count, reviewer);
            final Decisions read = reviewed.read();
            final int toReview = reviewed.toReview();
            assertEquals(List.of(), ids.stream().filter(id -> read.firstCount(id) != 1).toList(), "exactly one first decision each");
            assertEquals(0, app.committedByTopic().get(app.topic(TopicRole.DEAD_LETTERS)), "no dead letter");
            assertEquals(0, read.reviewDeadLetters(), "no outcome dead-lettered");
            assertEquals(reviewer.reviewed(), read.finalById.keySet(), "a final decision for each outcome, and only from an outcome");
            assertEquals(List.of(), read.finalById.entrySet().stream().filter(entry -> entry.getValue() != 1).map(Map.Entry::getKey).toList(),
                    "exactly one final decision each");
            assertEquals(List.of(), read.overdueById.entrySet().stream().filter(entry -> entry.getValue() != 1).map(Map.Entry::getKey).toList(),
                    "no overdue record written twice");
            final String figures = String.format("| %s | %d | %d first | %d to review | %d final | %d overdue | %d lost | %d duplicated |%n",
                    scenario, count, read.firstById.size(), toReview, read.finalCount(), read.overdueById.size(),
                    ids.stream().filter(id -> read.firstCount(id) == 0).count(),
                    ids.stream().filter(id -> read.firstCount(id) > 1).count() + read.finalById.values().stream().filter(n -> n > 1).count());
            Figures.record(figures);
        }
    }

    private List<String> routerArguments(final String instance) {
        final List<String> arguments = new ArrayList<>(app.runArguments(workDir.resolve("state-" + instance), "--http-port", "-1",
                // A killed instance's partitions move on after this, not after the 45 s default.
                "-p", ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=6000", "-p", ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG + "=1500",
                "-p", AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG + "=2000"));
        arguments.addAll(extraArguments);
        if (staticMembership) {
            arguments.addAll(List.of("-p", ConsumerConfig.GROUP_INSTANCE_ID_CONFIG + "=" + instanceId(instance)));
        }
        return arguments;
    }
}
