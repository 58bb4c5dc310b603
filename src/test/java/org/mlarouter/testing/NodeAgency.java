package org.mlarouter.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Node.js agency of the integration tests (src/test/node/agency.js: kafkajs and @kafkajs/confluent-schema-registry,
 * pinned in package.json and package-lock.json), its packages installed from the npm registry on first use with
 * {@code npm ci} (node_modules is never committed).
 */
public final class NodeAgency {

    private static final Path DIRECTORY = Path.of("src/test/node");

    private NodeAgency() {
    }

    /** Installs the pinned packages unless they are there. */
    public static synchronized void install() throws Exception {
        if (Files.isDirectory(DIRECTORY.resolve("node_modules/kafkajs")) && Files.isDirectory(DIRECTORY.resolve("node_modules/@kafkajs"))) {
            return;
        }
        AgencyPython.outputOf(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").directory(DIRECTORY.toFile()).start());
        assertTrue(Files.isDirectory(DIRECTORY.resolve("node_modules/kafkajs")), "npm ci installed kafkajs");
    }

    /** Runs {@code node agency.js ARGUMENTS}; its standard output, once it ends within two minutes with exit code 0. */
    public static String run(final String... arguments) throws Exception {
        install();
        final List<String> command = new ArrayList<>(List.of("node", DIRECTORY.resolve("agency.js").toString()));
        command.addAll(List.of(arguments));
        return AgencyPython.outputOf(new ProcessBuilder(command).start());
    }
}
