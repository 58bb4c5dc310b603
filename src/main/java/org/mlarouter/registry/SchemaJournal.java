package org.mlarouter.registry;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlarouter.serde.CompatibilityLevel;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.RegistryChange;
import org.mlarouter.serde.RegistryChange.Configured;
import org.mlarouter.serde.RegistryChange.Deleted;
import org.mlarouter.serde.RegistryChange.Registered;
import org.mlarouter.serde.ReferenceResolver;
import org.mlarouter.serde.RegisteredSchema;
import org.mlarouter.serde.SchemaReference;

/**
 * Keeps the embedded registry across restarts: every change (a new version, a delete, a compatibility level) is
 * appended to a JSON-lines file, and the file is replayed at start. Records already in the topics name their schema
 * by id, so the ids must outlive the process, as they do in a Schema Registry backed by its {@code _schemas} topic.
 * Lines written before deletes and levels were journaled (a plain new version) still replay.
 */
public final class SchemaJournal {

    private static final ObjectMapper MAPPER = org.mlarouter.json.Json.MAPPER;

    private SchemaJournal() {
    }

    /** A registry holding every change in {@code file} (if it exists), which appends each new change to it. */
    public static InMemorySchemaRegistry open(final Path file, final String name) throws IOException {
        final InMemorySchemaRegistry registry = new InMemorySchemaRegistry(name);
        if (Files.exists(file)) {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    registry.replay(change(registry, MAPPER.readTree(lines.get(i))));
                } catch (final IOException | RuntimeException e) {
                    throw new IOException(file + ": line " + (i + 1) + " is not a schema journal entry: " + e.getMessage(), e);
                }
            }
        } else {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        registry.onChange(change -> append(file, change));
        return registry;
    }

    private static RegistryChange change(final InMemorySchemaRegistry registry, final JsonNode entry) {
        final String op = entry.path("op").asText("register");
        switch (op) {
            case "register": {
                final List<SchemaReference> references = new ArrayList<>();
                entry.path("references").forEach(reference -> references.add(new SchemaReference(reference.get("name").asText(),
                        reference.get("subject").asText(), reference.get("version").asInt())));
                final String text = entry.get("schema").asText();
                return new Registered(new RegisteredSchema(entry.get("subject").asText(), entry.get("version").asInt(), entry.get("id").asInt(),
                        text, references, ReferenceResolver.parse(text, references, reference -> {
                            final RegisteredSchema referenced = registry.version(reference.subject(), reference.version(), true);
                            return new ReferenceResolver.Source(referenced.schemaText(), referenced.references());
                        }), false));
            }
            case "delete":
                return new Deleted(entry.get("subject").asText(), entry.get("version").asInt(), entry.path("permanent").asBoolean());
            case "config":
                return new Configured(entry.path("subject").isNull() ? null : entry.path("subject").asText(null),
                        entry.path("level").isNull() ? null : CompatibilityLevel.valueOf(entry.get("level").asText()));
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }

    private static void append(final Path file, final RegistryChange change) {
        final ObjectNode line = MAPPER.createObjectNode();
        if (change instanceof Registered registered) {
            final RegisteredSchema version = registered.version();
            line.put("subject", version.subject()).put("version", version.version()).put("id", version.id()).put("schema", version.schemaText());
            if (!version.references().isEmpty()) {
                final ArrayNode references = line.putArray("references");
                version.references().forEach(reference -> references.addObject().put("name", reference.name())
                        .put("subject", reference.subject()).put("version", reference.version()));
            }
        } else if (change instanceof Deleted deleted) {
            line.put("op", "delete").put("subject", deleted.subject()).put("version", deleted.version()).put("permanent", deleted.permanent());
        } else if (change instanceof Configured configured) {
            line.put("op", "config").put("subject", configured.subject()).put("level", configured.level() == null ? null : configured.level().name());
        }
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            writer.write(line.toString());
            writer.newLine();
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot record a change of the schema registry in " + file, e);
        }
    }
}
