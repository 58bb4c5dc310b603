package org.mlarouter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.mlarouter.config.HttpKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;

class HelpTextsTest {

    private static String help(final String... command) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] arguments = new String[command.length + 1];
        System.arraycopy(command, 0, arguments, 0, command.length);
        arguments[command.length] = "--help";
        assertEquals(0, MlaRouter.run(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), arguments));
        return squeezed(out.toString(StandardCharsets.UTF_8));
    }

    /** Without white space: picocli wraps long lines, even inside a topic name. */
    private static String squeezed(final String text) {
        return text.replaceAll("\\s+", "");
    }

    @Test
    void shouldShowEachOptionsDefaultAsTheConfigDefHasIt() {
        final Map<String, ConfigDef.ConfigKey> keys = RouterConfig.configDef().configKeys();
        for (final String command : new String[] {"run", "submit", "tail", "reset"}) {
            final String help = help(command);
            for (final TopicRole role : TopicRole.values()) {
                assertTrue(help.contains(squeezed("(default: " + role.defaultName() + ")")), command + " --help shows " + role + "'s default: " + help);
            }
            for (final String key : new String[] {RouterConfig.HOME_STATE_CONFIG, HttpKeys.HTTP_PORT_CONFIG, RouterConfig.SCHEMA_REGISTRY_URL_CONFIG}) {
                assertTrue(help.contains(squeezed(keys.get(key).documentation + " (default: " + HelpTexts.defaultOf(keys.get(key)) + ")")),
                        command + " --help documents " + key + ": " + help);
            }
        }
        assertTrue(help("embedded").contains(squeezed(keys.get(HttpKeys.HTTP_PORT_CONFIG).documentation + " (default: "
                + HelpTexts.defaultOf(keys.get(HttpKeys.HTTP_PORT_CONFIG)) + ")")));
    }

    @Test
    void shouldNameEveryTopicByItsRolesOptionOrEnvironmentVariable() {
        final java.util.List<String> arguments = new java.util.ArrayList<>(java.util.List.of("tail"));
        for (final TopicRole role : TopicRole.values()) {
            if (role != TopicRole.TREATIES) {
                arguments.add(role.option() + "=cli." + role.name());
            }
        }
        final picocli.CommandLine commandLine = MlaRouter.commandLine(Map.of("APP_TREATIES_TOPIC", "env.TREATIES"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        final picocli.CommandLine.ParseResult parsed = commandLine.parseArgs(arguments.toArray(String[]::new));
        final TailCommand tail = (TailCommand) parsed.subcommand().commandSpec().userObject();
        final RouterConfig config = tail.options.settings(Map.of()).router();
        for (final TopicRole role : TopicRole.values()) {
            assertEquals(role == TopicRole.TREATIES ? "env.TREATIES" : "cli." + role.name(), config.topic(role), role.option());
        }
    }
}
