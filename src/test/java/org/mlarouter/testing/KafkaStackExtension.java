package org.mlarouter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link KafkaStack} (a real broker and the embedded Schema Registry) for all the tests of a class:
 * {@code @RegisterExtension static final KafkaStackExtension KAFKA = new KafkaStackExtension();}
 */
public final class KafkaStackExtension implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private KafkaStack stack;

    @Override
    public void beforeAll(final ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("mla-router-it-kafka");
        stack = KafkaStack.start(dataDir);
    }

    @Override
    public void afterAll(final ExtensionContext context) throws IOException {
        stack.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    public String registryUrl() {
        return stack.registryUrl();
    }
}
