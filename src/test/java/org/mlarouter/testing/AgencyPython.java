package org.mlarouter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An agency's Python client (src/test/python/agency_client.py, Confluent's Python client from Debian) run as a process. */
public final class AgencyPython {

    private AgencyPython() {
    }

    /** Runs {@code agency_client.py ARGUMENTS}; its standard output, once it ends within two minutes with exit code 0. */
    public static String run(final String... arguments) throws Exception {
        final List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "src/test/python/agency_client.py"));
        command.addAll(List.of(arguments));
        return outputOf(new ProcessBuilder(command).start());
    }

    /** Standard output of a process that must end within two minutes with exit code 0. */
    public static String outputOf(final Process process) throws Exception {
        final CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (final IOException e) {
                throw new IllegalStateException(e);
            }
        });
        final boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        final String out = new String(stdout.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertTrue(finished, "process did not end within 120 s: " + out + err);
        assertEquals(0, process.exitValue(), "stdout:\n" + out + "\nstderr:\n" + err);
        return out;
    }
}
