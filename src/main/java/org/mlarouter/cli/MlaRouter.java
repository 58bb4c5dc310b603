package org.mlarouter.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.common.config.ConfigException;
import org.mlarouter.net.Ports;
import org.mlarouter.json.JsonFormatException;
import org.mlarouter.treaty.TreatyTableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code mla-router} command line: a thin shell over the application. Exit codes: 0 ok, 1 failure, 2 usage or
 * configuration error (always a one-line message naming what is wrong). Options can come from {@code APP_*}
 * environment variables and Kafka settings from {@code KAFKA_*} ones (see {@link SettingsOptions}).
 */
@Command(name = "mla-router", mixinStandardHelpOptions = true, versionProvider = MlaRouter.Version.class,
        description = "Routes mutual legal assistance requests: Kafka Streams, Avro in the Confluent wire format.",
        subcommands = {EmbeddedCommand.class, RunCommand.class, SubmitCommand.class, TailCommand.class, ReviewCommand.class, StatusCommand.class,
            TreatiesCommand.class, ThroughputCommand.class,
            ResetCommand.class, ConfigCommand.class, UsersCommand.class, KeysCommand.class, LoginCommand.class, EraseCommand.class,
            LoginCommand.LogoutCommand.class, DlqCommand.class, CommandLine.HelpCommand.class})
public final class MlaRouter implements Callable<Integer> {

    /** Exit code of a failure. */
    public static final int FAILURE = 1;
    /** Exit code of a usage or configuration error. */
    public static final int USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    final Map<String, String> environment;
    final PrintStream out;
    final PrintStream err;

    MlaRouter(final Map<String, String> environment, final PrintStream out, final PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(final String[] args) {
        System.exit(run(System.getenv(), System.out, System.err, args));
    }

    /** Runs a command as {@code main} does, without exiting: returns the exit code. */
    public static int run(final Map<String, String> environment, final PrintStream out, final PrintStream err, final String... args) {
        return commandLine(environment, out, err).execute(args);
    }

    /** The command line with every command, option and handler, as {@link #run} executes it (tests inspect it). */
    public static CommandLine commandLine(final Map<String, String> environment, final PrintStream out, final PrintStream err) {
        final MlaRouter root = new MlaRouter(environment, out, err);
        final CommandLine commandLine = new CommandLine(root);
        SettingsOptions.addTopicOptions(commandLine);
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setResourceBundle(HelpTexts.bundle());
        commandLine.setDefaultValueProvider(argument -> {
            if (argument instanceof OptionSpec) {
                final String name = ((OptionSpec) argument).longestName().replaceFirst("^-+", "");
                if ("token".equals(name) && environment.containsKey("MLA_TOKEN")) {
                    return environment.get("MLA_TOKEN"); // a person's token, kept out of the command line and its history
                }
                return environment.get("APP_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            return null;
        });
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            err.println("mla-router: " + exception.getMessage());
            err.println("Try '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            err.println("mla-router: " + message(exception));
            return exception instanceof ConfigException ? USAGE : FAILURE;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return USAGE;
    }

    /** One line for an error: what the user needs, no stack trace. */
    static String message(final Throwable exception) {
        if (exception instanceof ConfigException || exception instanceof TreatyTableException
                || exception instanceof JsonFormatException || exception instanceof Ports.PortInUseException) {
            return exception.getMessage();
        }
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final String text = exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
        return root == exception || root.getMessage() == null || text.contains(root.getMessage()) ? text : text + " (" + root.getMessage() + ")";
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = MlaRouter.class.getPackage().getImplementationVersion();
            return new String[] {"mla-router " + (version == null ? "(development build)" : version)
                    + ", Kafka Streams " + kafkaVersion()};
        }

        /** The version kafka-clients records in its jar ({@code kafka/kafka-version.properties}); Kafka's reader of it is internal. */
        private static String kafkaVersion() {
            try (java.io.InputStream in = org.apache.kafka.streams.KafkaStreams.class.getResourceAsStream("/kafka/kafka-version.properties")) {
                final java.util.Properties properties = new java.util.Properties();
                if (in != null) {
                    properties.load(in);
                }
                return properties.getProperty("version", "unknown");
            } catch (final java.io.IOException e) {
                return "unknown";
            }
        }
    }
}
