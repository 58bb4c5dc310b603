package org.mlarouter.registry;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.RegisteredSchema;

/**
 * Keeps the embedded registry's schemas across restarts: every new version is appended to a JSON-lines file, and the
 * file is replayed at start. Records already in the topics name their schema by id, so the ids must outlive the
 * process, as they do in a Schema Registry backed by its {@code _schemas} topic.
 */
public final class SchemaJournal {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaJournal() {
    }

    /** A registry holding every version in {@code file} (if it exists), which appends each new version to it. */
    public static InMemorySchemaRegistry open(final Path file, final String name) throws IOException {
        final InMemorySchemaRegistry registry = new InMemorySchemaRegistry(name);
        if (Files.exists(file)) {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    final JsonNode entry = MAPPER.readTree(lines.get(i));
                    registry.restore(new RegisteredSchema(entry.get("subject").asText(), entry.get("version").asInt(),
                            entry.get("id").asInt(), InMemorySchemaRegistry.parse(entry.get("schema").asText())));
                } catch (final IOException | RuntimeException e) {
                    throw new IOException(file + ": line " + (i + 1) + " is not a schema journal entry: " + e.getMessage(), e);
                }
            }
        } else {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        registry.onNewVersion(registered -> append(file, registered));
        return registry;
    }

    private static void append(final Path file, final RegisteredSchema registered) {
        final String line = MAPPER.createObjectNode()
                .put("subject", registered.subject())
                .put("version", registered.version())
                .put("id", registered.id())
                .put("schema", registered.schema().toString())
                .toString();
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            writer.write(line);
            writer.newLine();
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot record schema " + registered.id() + " in " + file, e);
        }
    }
}
