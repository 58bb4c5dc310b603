package org.mlarouter.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.config.HttpKeys;
import org.mlarouter.config.TopicRole;
import org.mlarouter.json.AvroJson;
import org.mlarouter.net.Ports;
import org.mlarouter.testing.TlsFiles;
import org.mlarouter.testing.UsersFiles;
import org.mlarouter.treaty.TreatyTable;

/**
 * The agencies' HTTPS intake under load (issue 25): a router with TLS and an agency user on a real broker; the sample
 * requests (fresh ids) sent to {@code POST /api/requests} at a fixed rate (open loop: each at its time, whatever the
 * answers before it), with {@code ?wait} off and on, for {@code --seconds} each, in one API session (as an agency's
 * system would sign in once; HTTP basic on every call would check a password hash each time, about 40 ms of CPU). Prints, per run, the rate asked and
 * achieved, the answers by status and the latency's median, 99th percentile and maximum.
 *
 * <pre>mvn -B -q -o test-compile exec:java@intake -Dintake.args="--rates 200,1000 --seconds 20"</pre>
 */
public final class IntakeBenchmark {

    private IntakeBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final List<Integer> rates = new ArrayList<>(List.of(200, 1000));
        int seconds = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rates" -> {
                    rates.clear();
                    for (final String rate : args[++i].split(",")) {
                        rates.add(Integer.parseInt(rate.trim()));
                    }
                }
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + ": --rates R1,R2 --seconds S");
            }
        }
        try (BenchmarkStack stack = BenchmarkStack.start(Map.of())) {
            final TlsFiles tls = TlsFiles.create(stack.workDir(), "intake-secret");
            final int port = Ports.free();
            final Map<String, String> http = new HashMap<>();
            http.put(HttpKeys.HTTP_PORT_CONFIG, String.valueOf(port));
            http.put(HttpKeys.HTTP_USERS_FILE_CONFIG, UsersFiles.write(stack.workDir(), "agency:agency-secret:agency:Office of the Prosecutor General").toString());
            http.put(HttpKeys.HTTP_TLS_KEYSTORE_CONFIG, tls.keyStore.toString());
            http.put(HttpKeys.HTTP_TLS_KEYSTORE_PASSWORD_CONFIG, tls.password);
            final Configuration setup = Configuration.router("exactly_once_v2", "intake", http);
            stack.publishTreaties(stack.settings("defaults", "exactly_once_v2").router().topic(TopicRole.TREATIES), TreatyTable.shipped("KZ").all());
            try (BenchmarkStack.Started router = stack.start(setup, "mla.requests")) {
                final HttpClient client = HttpClient.newBuilder().sslContext(trusting(tls)).connectTimeout(Duration.ofSeconds(10)).build();
                final String url = "https://127.0.0.1:" + port + "/api/requests";
                final List<AssistanceRequest> samples = stack.sampleRequests().stream()
                        .filter(request -> "Office of the Prosecutor General".equals(request.getRequestingAuthority())).toList();
                // As an agency's system would: one session (POST /api/sessions), not a password hash checked per request.
                final String basic = "Basic " + Base64.getEncoder().encodeToString("agency:agency-secret".getBytes(StandardCharsets.UTF_8));
                final String token = org.mlarouter.json.Json.MAPPER.readTree(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                        + "/api/sessions")).header("Authorization", basic).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).path("token").asText();
                authorization = "Session " + token;
                run(client, url, samples, 100, 5, false, "warm-up");
                for (final int rate : rates) {
                    for (final boolean wait : new boolean[] {false, true}) {
                        run(client, url, samples, rate, seconds, wait, "measured");
                    }
                }
            }
        }
    }

    /** Requests in flight at most: an agency's connection pool (HTTP/1.1 holds one request per connection). */
    private static final int CONNECTIONS = 64;
    private static final java.util.concurrent.Semaphore connections = new java.util.concurrent.Semaphore(CONNECTIONS);
    private static int sent;
    private static String authorization;

    private static void run(final HttpClient client, final String url, final List<AssistanceRequest> samples, final int rate, final int seconds,
                            final boolean wait, final String what) throws Exception {
        final int total = rate * seconds;
        final long[] latencies = new long[total];
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final List<CompletableFuture<?>> answers = new ArrayList<>(total);
        final long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            final long due = start + (long) i * 1_000_000_000L / rate;
            final long now = System.nanoTime();
            if (due > now) {
                TimeUnit.NANOSECONDS.sleep(due - now);
            }
            final AssistanceRequest request = AssistanceRequest.newBuilder(samples.get(i % samples.size()))
                    .setRequestId("INTAKE-" + (++sent)).build();
            final int index = i;
            // At most CONNECTIONS in flight, as an agency's pool would hold; the latency counts from the request's due time,
            // so time spent waiting for a connection is not hidden.
            connections.acquire();
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url + (wait ? "?wait=10s" : ""))).timeout(Duration.ofSeconds(60))
                            .header("Authorization", authorization).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(AvroJson.toJsonLine(request))).build(), HttpResponse.BodyHandlers.discarding())
                    .handle((response, failure) -> {
                        connections.release();
                        latencies[index] = System.nanoTime() - due;
                        statuses.computeIfAbsent(failure == null ? response.statusCode() : -1, ignored -> new AtomicInteger()).incrementAndGet();
                        return null;
                    }));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        final double elapsed = (System.nanoTime() - start) / 1e9;
        final long[] sorted = latencies.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("INTAKE %s | rate %d/s asked | %.0f/s achieved | wait %s | %d requests | statuses %s | p50 %.1f ms | p99 %.1f ms | max %.1f ms%n",
                what, rate, total / elapsed, wait ? "10s" : "off", total, new java.util.TreeMap<>(statuses), sorted[total / 2] / 1e6,
                sorted[Math.min(total - 1, (int) Math.ceil(total * 0.99) - 1)] / 1e6, sorted[total - 1] / 1e6);
    }

    private static SSLContext trusting(final TlsFiles tls) throws Exception {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(tls.trustStore)) {
            store.load(in, tls.password.toCharArray());
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
