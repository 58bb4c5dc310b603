package org.mlarouter.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.mlarouter.avro.Route;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.testing.Decisions;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.testing.Reviewer;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.testing.RouterUnderTest;
import org.mlarouter.testing.SteadyLoad;

/**
 * The soak run (a benchmark phase, not a test): the router as a process of its own on the embedded broker, at a steady
 * load with a reviewer at work, restarted (SIGTERM, then started again on the same state) every few minutes. Each minute
 * it samples the router process (statuses kept for {@code --retention}, 5 minutes, so that the stores reach their
 * steady size within the run): heap after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}), the
 * state directory's size on disk, open file descriptors and threads ({@code /proc}). At the end, every request must have
 * exactly one first decision and every review one final decision. Writes {@code target/benchmarks/soak.md} and
 * {@code target/benchmarks/soak.svg}.
 *
 * <pre>mvn -B -q package -DskipTests exec:java@soak -Dsoak.args="--minutes 30 --rate 1000 --restart-every 5 --retention 5m"</pre>
 */
public final class Soak {

    private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");
    private static final Path OUT = Path.of("target/benchmarks");

    /** One minute's sample of the router process. */
    record Sample(double minute, double heapMiB, double stateMiB, int fds, int threads, long decided) {
    }

    private Soak() {
    }

    public static void main(final String[] args) throws Exception {
        int minutes = 30;
        int rate = 1000;
        int restartEvery = 5;
        String retention = "5m";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--restart-every" -> restartEvery = Integer.parseInt(args[++i]);
                case "--retention" -> retention = args[++i];
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + "; options: --minutes N, --rate N (requests/s), --restart-every N (minutes), --retention D (mla.request.retention)");
            }
        }
        final Path work = Files.createTempDirectory("mla-router-soak");
        try (KafkaStack stack = KafkaStack.plain().start()) {
            final RouterUnderTest app = stack.router("soak", 6).publishShippedTreaties();
            final Path state = work.resolve("state");
            final Path log = work.resolve("router.log");
            // A retention of minutes rather than the default 400 days, so that the run shows the stores stop growing
            // once statuses are forgotten as fast as they come.
            final String[] run = {"--http-port", "-1", "-p", RouterConfig.REQUEST_RETENTION_CONFIG + "=" + retention};
            RouterProcess router = app.startProcess(log, state, run);
            final List<Sample> samples = new ArrayList<>();
            final List<Double> restarts = new ArrayList<>();
            final Instant start = Instant.now();
            final List<String> ids;
            try (SteadyLoad load = new SteadyLoad(app, rate); Reviewer reviewer = new Reviewer(app)) {
                for (int minute = 1; minute <= minutes; minute++) {
                    waitUntil(start.plus(Duration.ofMinutes(minute)));
                    final Sample sample = sample(router, state, minute, app.writtenToOutputs());
                    samples.add(sample);
                    System.out.printf(Locale.ROOT, "minute %2d: heap after GC %.1f MiB, state %.1f MiB, %d fds, %d threads, %d written%n",
                            minute, sample.heapMiB(), sample.stateMiB(), sample.fds(), sample.threads(), sample.decided());
                    if (minute % restartEvery == 0 && minute < minutes) {
                        router.stop();
                        router = app.startProcess(log, state, run);
                        restarts.add((double) minute);
                        System.out.println("minute " + minute + ": router restarted");
                    }
                }
                ids = load.stop();
                final Decisions decisions = new Decisions(app);
                awaitQuietly(() -> decisions.read().firstById.size() >= ids.size(), Duration.ofMinutes(3));
                final int toReview = (int) decisions.read().firstById.values().stream().filter(route -> route == Route.NEEDS_REVIEW).count();
                awaitQuietly(() -> decisions.read().finalCount() >= toReview, Duration.ofMinutes(3));
                final Decisions read = decisions.read();
                final long lost = ids.stream().filter(id -> read.firstCount(id) == 0).count();
                final long duplicated = ids.stream().filter(id -> read.firstCount(id) > 1).count() + read.finalNotOnce().size();
                final int deadLetters = app.committedByTopic().get(app.topic(TopicRole.DEAD_LETTERS));
                report(samples, restarts, rate, ids.size(), toReview, read.finalCount(), reviewer.sent(), lost, duplicated, deadLetters);
            } finally {
                router.close();
            }
        }
    }

    private static Sample sample(final RouterProcess router, final Path state, final int minute, final long decided) throws IOException, InterruptedException {
        final long pid = router.pid();
        jcmd(pid, "GC.run");
        final Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        final double heap = used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
        final int fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = (int) open.count();
        }
        final int threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(line -> line.startsWith("Threads:"))
                .mapToInt(line -> Integer.parseInt(line.substring("Threads:".length()).trim())).findFirst().orElse(-1);
        return new Sample(minute, heap, sizeOf(state) / (1024.0 * 1024), fds, threads, decided);
    }

    private static String jcmd(final long pid, final String command) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    private static long sizeOf(final Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static void waitUntil(final Instant when) {
        while (Instant.now().isBefore(when)) {
            LockSupport.parkNanos(Duration.between(Instant.now(), when).toNanos());
        }
    }

    private static void awaitQuietly(final java.util.function.BooleanSupplier condition, final Duration timeout) {
        final Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
    }

    private static void report(final List<Sample> samples, final List<Double> restarts, final int rate, final int requests, final int toReview,
                               final int finals, final int reviewed, final long lost, final long duplicated, final int deadLetters) throws IOException {
        final StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Soak: %d minutes at %d requests/s, router restarted at minutes %s; %s, %d cores, %s%n%n",
                samples.size(), rate, restarts.stream().map(m -> String.valueOf(m.intValue())).toList(), System.getProperty("os.name"),
                Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now()));
        md.append(String.format(Locale.ROOT, "%d requests, %d sent to review, %d outcomes sent, %d final decisions; %d lost, %d duplicated, %d dead letters%n%n",
                requests, toReview, reviewed, finals, lost, duplicated, deadLetters));
        md.append("| minute | heap after GC (MiB) | state on disk (MiB) | open fds | threads | records written |\n|---:|---:|---:|---:|---:|---:|\n");
        for (final Sample s : samples) {
            md.append(String.format(Locale.ROOT, "| %.0f | %.1f | %.1f | %d | %d | %d |%n", s.minute(), s.heapMiB(), s.stateMiB(), s.fds(), s.threads(), s.decided()));
        }
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("soak.md"), md);
        Files.writeString(OUT.resolve("soak.svg"), SoakChart.svg(samples, restarts));
        System.out.print(md);
        System.out.println("Wrote " + OUT.resolve("soak.md") + " and " + OUT.resolve("soak.svg"));
    }
}
