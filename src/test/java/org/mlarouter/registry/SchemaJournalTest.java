package org.mlarouter.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.serde.CompatibilityLevel;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.SchemaReference;
import org.mlarouter.serde.SchemaRegistryException;

/** The journal brings back every change after a restart: versions with references, deletes, compatibility levels. */
class SchemaJournalTest {

    @TempDir
    Path dir;

    @Test
    void shouldReplayVersionsReferencesDeletesAndLevels() throws Exception {
        final Path file = dir.resolve("schemas.jsonl");
        final InMemorySchemaRegistry first = SchemaJournal.open(file, "first");
        final String kind = Files.readString(Path.of("schemas/AssistanceKind.avsc"));
        first.registerVersion("org.mlarouter.avro.AssistanceKind", kind, List.of());
        final String note = "{\"type\":\"record\",\"name\":\"Note\",\"namespace\":\"test\",\"fields\":[{\"name\":\"kind\",\"type\":\"org.mlarouter.avro.AssistanceKind\"}]}";
        final int noteId = first.registerVersion("notes", note,
                List.of(new SchemaReference("org.mlarouter.avro.AssistanceKind", "org.mlarouter.avro.AssistanceKind", 1))).id();
        first.registerVersion("other", "{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}", List.of());
        first.deleteVersion("other", 1, false);
        first.setCompatibility("notes", CompatibilityLevel.FULL_TRANSITIVE);
        first.setGlobalCompatibility(CompatibilityLevel.NONE);

        final InMemorySchemaRegistry again = SchemaJournal.open(file, "again");

        assertEquals(noteId, again.lookup("notes", note,
                List.of(new SchemaReference("org.mlarouter.avro.AssistanceKind", "org.mlarouter.avro.AssistanceKind", 1))).orElseThrow().id());
        assertEquals(List.of(noteId), again.referencedBy("org.mlarouter.avro.AssistanceKind", 1));
        assertEquals("org.mlarouter.avro.AssistanceKind", again.schemaById(noteId).getField("kind").schema().getFullName());
        assertEquals(List.of("notes", "org.mlarouter.avro.AssistanceKind"), again.subjects());
        assertEquals(CompatibilityLevel.FULL_TRANSITIVE, again.compatibility("notes"));
        assertEquals(CompatibilityLevel.NONE, again.globalCompatibility());
        assertEquals(42206, assertThrows(SchemaRegistryException.class,
                () -> again.deleteVersion("org.mlarouter.avro.AssistanceKind", 1, false)).errorCode());
    }
}
