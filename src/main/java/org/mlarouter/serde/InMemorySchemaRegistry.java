package org.mlarouter.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A Schema Registry held in memory, with the registry's semantics: one global id per distinct schema (the same schema
 * under two subjects shares its id), versions per subject numbered from 1, re-registering a schema returns its id
 * without a new version, and a compatibility level (BACKWARD by default) checked on every new version.
 *
 * <p>Backs {@code mock://} URLs (see {@link MockSchemaRegistry}) and the embedded Schema Registry server. Thread-safe.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final String name;
    private final Map<String, Integer> idByCanonicalSchema = new HashMap<>();
    private final Map<Integer, Schema> schemaById = new HashMap<>();
    private final Map<String, List<RegisteredSchema>> versionsBySubject = new LinkedHashMap<>();
    private final Map<String, CompatibilityLevel> compatibilityBySubject = new HashMap<>();
    private CompatibilityLevel globalCompatibility = CompatibilityLevel.BACKWARD;
    private int nextId = 1;
    private java.util.function.Consumer<RegisteredSchema> newVersionListener = registered -> { };

    /** @param name how this registry is named in error messages, e.g. its URL */
    public InMemorySchemaRegistry(final String name) {
        this.name = name;
    }

    /** Parses schema text as the registry does, with a clear error for text that is not an Avro schema. */
    public static Schema parse(final String schemaText) {
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (final SchemaParseException | NullPointerException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }

    @Override
    public synchronized int register(final String subject, final Schema schema) {
        return registerVersion(subject, schema).id();
    }

    /** Registers a schema under a subject, returning the version it has there (new, or the one it had). */
    public synchronized RegisteredSchema registerVersion(final String subject, final Schema schema) {
        final Optional<RegisteredSchema> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        final List<RegisteredSchema> versions = versionsBySubject.getOrDefault(subject, List.of());
        final List<Schema> earlier = new ArrayList<>();
        versions.forEach(version -> earlier.add(version.schema()));
        final List<String> problems = compatibility(subject).problems(schema, earlier);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\": "
                            + String.join("; ", problems));
        }
        final String canonical = schema.toString();
        final Integer knownId = idByCanonicalSchema.get(canonical);
        final int id = knownId != null ? knownId : nextId;
        final RegisteredSchema registered = new RegisteredSchema(subject, versions.size() + 1, id,
                knownId != null ? schemaById.get(knownId) : schema);
        // The listener (a journal) goes first: if it fails, nothing has changed here.
        newVersionListener.accept(registered);
        if (knownId == null) {
            idByCanonicalSchema.put(canonical, id);
            schemaById.put(id, schema);
            nextId++;
        }
        versionsBySubject.computeIfAbsent(subject, ignored -> new ArrayList<>()).add(registered);
        return registered;
    }

    /** Puts back a version registered earlier, with its id and version number, as a journal replays it. */
    public synchronized void restore(final RegisteredSchema registered) {
        final String canonical = registered.schema().toString();
        final Integer known = idByCanonicalSchema.putIfAbsent(canonical, registered.id());
        if (known != null && known != registered.id()) {
            throw new IllegalStateException("schema id " + registered.id() + " of " + registered.subject() + " v"
                    + registered.version() + " is already known as id " + known);
        }
        schemaById.putIfAbsent(registered.id(), registered.schema());
        versionsBySubject.computeIfAbsent(registered.subject(), ignored -> new ArrayList<>()).add(registered);
        nextId = Math.max(nextId, registered.id() + 1);
    }

    /** Called, under this registry's lock, with every new version before it is taken; a journal appends it. */
    public synchronized void onNewVersion(final java.util.function.Consumer<RegisteredSchema> listener) {
        newVersionListener = listener;
    }

    @Override
    public synchronized int idOf(final String subject, final Schema schema) {
        return lookup(subject, schema).orElseThrow(() -> versionsBySubject.containsKey(subject)
                ? new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found under subject \"" + subject + "\"")
                : new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.")).id();
    }

    /** The version of a subject that holds this schema, if any. */
    public synchronized Optional<RegisteredSchema> lookup(final String subject, final Schema schema) {
        final Integer id = idByCanonicalSchema.get(schema.toString());
        if (id == null) {
            return Optional.empty();
        }
        return versionsBySubject.getOrDefault(subject, List.of()).stream().filter(version -> version.id() == id).findFirst();
    }

    @Override
    public synchronized Schema schemaById(final int id) {
        final Schema schema = schemaById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    /** Every subject with at least one version, sorted. */
    public synchronized List<String> subjects() {
        return new ArrayList<>(new TreeSet<>(versionsBySubject.keySet()));
    }

    /** The versions of a subject, oldest first. */
    public synchronized List<RegisteredSchema> versions(final String subject) {
        final List<RegisteredSchema> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return List.copyOf(versions);
    }

    /** One version of a subject; {@code -1} is the latest. */
    public synchronized RegisteredSchema version(final String subject, final int version) {
        final List<RegisteredSchema> versions = versions(subject);
        if (version == -1) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(candidate -> candidate.version() == version).findFirst()
                .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found."));
    }

    /** The subjects and versions under which a schema id is registered. */
    public synchronized List<RegisteredSchema> usesOf(final int id) {
        schemaById(id);
        final List<RegisteredSchema> uses = new ArrayList<>();
        versionsBySubject.values().forEach(versions -> versions.stream().filter(version -> version.id() == id).forEach(uses::add));
        return uses;
    }

    /** Whether a schema may be registered as the next version of a subject, with the problems if not. */
    public synchronized List<String> compatibilityProblems(final String subject, final Schema schema, final int againstVersion) {
        if (!versionsBySubject.containsKey(subject)) {
            return List.of();
        }
        final List<Schema> earlier = new ArrayList<>();
        if (againstVersion == -1) {
            versions(subject).forEach(version -> earlier.add(version.schema()));
        } else {
            earlier.add(version(subject, againstVersion).schema());
        }
        return compatibility(subject).problems(schema, earlier);
    }

    /** The compatibility level in force for a subject: its own, or the global one. */
    public synchronized CompatibilityLevel compatibility(final String subject) {
        return compatibilityBySubject.getOrDefault(subject, globalCompatibility);
    }

    public synchronized CompatibilityLevel globalCompatibility() {
        return globalCompatibility;
    }

    public synchronized void setGlobalCompatibility(final CompatibilityLevel level) {
        globalCompatibility = level;
    }

    public synchronized void setCompatibility(final String subject, final CompatibilityLevel level) {
        compatibilityBySubject.put(subject, level);
    }

    @Override
    public String describe() {
        return name;
    }
}
