package org.mlarouter.cli;

import org.mlarouter.config.TopicRole;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.RequestSubmitter;
import org.mlarouter.clients.SubmissionWatch;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.avro.AssistanceRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router submit}: JSON lines to Avro requests on the request topic. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit requests: one JSON object per line, keys the AssistanceRequest field names (see schemas/ and"
            + " examples/requests.jsonl). A bad line is reported with its number and field; the others still go. Exit code 1"
            + " if any line was rejected."})
final class SubmitCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Mixin
    SettingsOptions options;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-", defaultValue = "-", description = "JSON lines file, or - for standard input (default).")
    String source;

    @Option(names = "--wait", description = "Then print each request's first decision (route and reasons) or dead letter as it arrives,"
            + " and a summary; exit code 1 if any was dead-lettered or had no answer in time.")
    boolean await;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How long --wait waits for the"
            + " answers (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Override
    public Integer call() throws Exception {
        if (waitSeconds < 1) {
            root.err.println("mla-router: --wait-timeout must be at least 1 second");
            return MlaRouter.USAGE;
        }
        final RouterSettings settings = options.reachableSettings(root.environment, true);
        final RequestSubmitter.Result result;
        // With --wait, where the decision and dead-letter topics end is noted before anything is sent.
        try (SubmissionWatch watch = await ? new SubmissionWatch(settings) : null) {
            try (BufferedReader lines = open();
                 KafkaProducer<String, AssistanceRequest> producer = new Clients(settings).producer(AssistanceRequest.class)) {
                result = new RequestSubmitter(producer, settings.router().topic(TopicRole.REQUESTS), root.err).submit(lines, "-".equals(source) ? "stdin" : source);
            }
            root.out.println("Submitted " + result.submitted + " request" + (result.submitted == 1 ? "" : "s") + " to "
                    + settings.router().topic(TopicRole.REQUESTS) + (result.rejected > 0 ? "; rejected " + result.rejected : ""));
            if (watch != null) {
                final SubmissionWatch.Outcome outcome = watch.await(result.requestIds, Duration.ofSeconds(waitSeconds), root.out);
                root.out.println(SubmissionWatch.summary(outcome, Duration.ofSeconds(waitSeconds)));
                if (outcome.deadLettered() > 0 || !outcome.unanswered().isEmpty()) {
                    return MlaRouter.FAILURE;
                }
            }
        }
        return result.rejected > 0 ? MlaRouter.FAILURE : 0;
    }

    private BufferedReader open() throws java.io.IOException {
        if ("-".equals(source)) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(Path.of(source), StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            throw new NoSuchFileException(source, null, "no such file");
        }
    }
}
