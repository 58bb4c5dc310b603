package org.mlarouter.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.avro.Schema;

/**
 * A Schema Registry held in memory, with Confluent's semantics: one global id per distinct schema (the same schema
 * under two subjects shares its id; a schema is its text and its references), versions per subject numbered from 1,
 * re-registering a schema returns its id without a new version, a compatibility level (global, BACKWARD by default, or
 * the subject's own) checked on every new version, schema references to types registered under other subjects, and
 * soft and permanent deletes (a version another schema references cannot be deleted).
 *
 * <p>Backs {@code mock://} URLs (see {@link MockSchemaRegistry}) and the embedded Schema Registry server, which journals
 * every {@link RegistryChange} so the registry outlives the process. Thread-safe.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final String name;
    private final Map<String, Integer> idByIdentity = new HashMap<>();
    private final Map<Integer, RegisteredSchema> firstById = new HashMap<>();
    private final SubjectVersions versions = new SubjectVersions();
    private final CompatibilityLevels levels = new CompatibilityLevels();
    private int nextId = 1;
    private Consumer<RegistryChange> journal = change -> { };

    /** @param name how this registry is named in error messages, e.g. its URL */
    public InMemorySchemaRegistry(final String name) {
        this.name = name;
    }

    /** Parses self-contained schema text as the registry does: 422 / 42201 for text that is not an Avro schema. */
    public static Schema parse(final String schemaText) {
        return ReferenceResolver.parse(schemaText, List.of(), reference -> {
            throw new IllegalStateException("no references");
        });
    }

    /** Called, under this registry's lock, with every change before it is made; a journal appends it. */
    public synchronized void onChange(final Consumer<RegistryChange> listener) {
        journal = listener;
    }

    @Override
    public synchronized int register(final String subject, final Schema schema) {
        return registerVersion(subject, schema.toString(), List.of()).id();
    }

    /** Registers schema text with its references under a subject; the version it has there (new, or the one it had). */
    public synchronized RegisteredSchema registerVersion(final String subject, final String schemaText, final List<SchemaReference> references) {
        final Schema schema = resolve(schemaText, references);
        final Optional<RegisteredSchema> existing = lookup(subject, schema, references);
        if (existing.isPresent()) {
            return existing.get();
        }
        final List<String> problems = compatibility(subject).problems(schema, live(subject).stream().map(RegisteredSchema::schema).toList());
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\": "
                            + String.join("; ", problems));
        }
        final Integer knownId = idByIdentity.get(identity(schema, references));
        final int version = versions.nextVersion(subject);
        final RegisteredSchema registered = new RegisteredSchema(subject, version, knownId != null ? knownId : nextId,
                knownId != null ? firstById.get(knownId).schemaText() : schemaText, references, schema, false);
        journal.accept(new RegistryChange.Registered(registered));
        take(registered);
        return registered;
    }

    /** Replays a journal's change (no checks, no new journal entry). */
    public synchronized void replay(final RegistryChange change) {
        if (change instanceof RegistryChange.Registered registered) {
            take(registered.version());
        } else if (change instanceof RegistryChange.Deleted deleted) {
            applyDelete(deleted);
        } else if (change instanceof RegistryChange.Configured configured) {
            levels.apply(configured);
        }
    }

    private void take(final RegisteredSchema registered) {
        final String identity = identity(registered.schema(), registered.references());
        idByIdentity.putIfAbsent(identity, registered.id());
        firstById.putIfAbsent(registered.id(), registered);
        versions.add(registered);
        nextId = Math.max(nextId, registered.id() + 1);
    }

    /** A schema is its content and the references it was registered with (a self-contained copy is another schema). */
    private static String identity(final Schema schema, final List<SchemaReference> references) {
        return references.isEmpty() ? schema.toString() : schema.toString() + " " + references;
    }

    private Schema resolve(final String schemaText, final List<SchemaReference> references) {
        return ReferenceResolver.parse(schemaText, references, reference -> {
            final RegisteredSchema referenced;
            try {
                referenced = version(reference.subject(), reference.version());
            } catch (final SchemaRegistryException e) {
                throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: reference " + reference.name()
                        + " to subject " + reference.subject() + " version " + reference.version() + " cannot be resolved: " + e.getMessage());
            }
            return new ReferenceResolver.Source(referenced.schemaText(), referenced.references());
        });
    }

    @Override
    public synchronized int idOf(final String subject, final Schema schema) {
        return lookup(subject, schema, List.of()).orElseThrow(() -> notFoundUnder(subject)).id();
    }

    /** The live version of a subject that holds this schema (text resolved with these references), if any. */
    public synchronized Optional<RegisteredSchema> lookup(final String subject, final String schemaText, final List<SchemaReference> references) {
        return lookup(subject, resolve(schemaText, references), references);
    }

    private Optional<RegisteredSchema> lookup(final String subject, final Schema schema, final List<SchemaReference> references) {
        final Integer id = idByIdentity.get(identity(schema, references));
        return id == null ? Optional.empty() : live(subject).stream().filter(version -> version.id() == id).findFirst();
    }

    /** 40403 under a subject that exists, 40401 otherwise. */
    public synchronized SchemaRegistryException notFoundUnder(final String subject) {
        return live(subject).isEmpty()
                ? new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.")
                : new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found");
    }

    @Override
    public synchronized Schema schemaById(final int id) {
        return registeredById(id).schema();
    }

    /** The schema of an id as it was first registered: its text and references. */
    public synchronized RegisteredSchema registeredById(final int id) {
        final RegisteredSchema registered = firstById.get(id);
        if (registered == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return registered;
    }

    /** Every subject with a live version, sorted. */
    public synchronized List<String> subjects() {
        return subjects(false);
    }

    /** Every subject with a live version (or, with {@code deleted}, any version), sorted. */
    public synchronized List<String> subjects(final boolean deleted) {
        return versions.subjects(deleted);
    }

    /** The live versions of a subject (with {@code deleted}, soft-deleted ones too), oldest first; 40401 if none. */
    public synchronized List<RegisteredSchema> versions(final String subject, final boolean deleted) {
        return versions.versions(subject, deleted);
    }

    private List<RegisteredSchema> live(final String subject) {
        return versions.live(subject);
    }

    /** One live version of a subject; {@code -1} is the latest. 40401, or 40402 for a version it does not have. */
    public synchronized RegisteredSchema version(final String subject, final int version) {
        return version(subject, version, false);
    }

    /** One version of a subject, soft-deleted ones too when {@code deleted}. */
    public synchronized RegisteredSchema version(final String subject, final int version, final boolean deleted) {
        return versions.version(subject, version, deleted);
    }

    /** The subjects and live versions under which a schema id is registered. */
    public synchronized List<RegisteredSchema> usesOf(final int id) {
        registeredById(id);
        return versions.usesOf(id);
    }

    /** The ids of the live schemas that reference a subject's version. */
    public synchronized List<Integer> referencedBy(final String subject, final int version) {
        return versions.referencing(subject, version(subject, version).version(), true);
    }

    /**
     * Deletes a version: soft (hidden, kept) or, once soft-deleted, permanently. Refused while another schema references it.
     *
     * @return the version number deleted
     */
    public synchronized int deleteVersion(final String subject, final int version, final boolean permanent) {
        final RegisteredSchema target = version(subject, version, true);
        if (!versions.referencing(subject, target.version(), true).isEmpty()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.REFERENCE_EXISTS, "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject="
                    + subject + ",version=" + target.version() + "}.");
        }
        if (permanent && !target.deleted()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_SOFT_DELETED, "Subject '" + subject + "' Version "
                    + target.version() + " was not deleted first before being permanently deleted");
        }
        if (!permanent && target.deleted()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_SOFT_DELETED, "Subject '" + subject + "' Version "
                    + target.version() + " was soft deleted. Set permanent=true to delete permanently");
        }
        final RegistryChange.Deleted deleted = new RegistryChange.Deleted(subject, target.version(), permanent);
        journal.accept(deleted);
        applyDelete(deleted);
        return target.version();
    }

    /** Deletes every version of a subject, soft or (once soft-deleted) permanently; the version numbers deleted. */
    public synchronized List<Integer> deleteSubject(final String subject, final boolean permanent) {
        final List<RegisteredSchema> all = versions.versions(subject, true);
        final boolean softDeleted = all.stream().allMatch(RegisteredSchema::deleted);
        if (!permanent && softDeleted) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_SOFT_DELETED, "Subject '" + subject
                    + "' was soft deleted. Set permanent=true to delete permanently");
        }
        if (permanent && !softDeleted) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED, "Subject '" + subject
                    + "' was not deleted first before being permanently deleted");
        }
        for (final RegisteredSchema version : all) {
            if (!versions.referencing(subject, version.version(), true).isEmpty()) {
                throw new SchemaRegistryException(422, SchemaRegistryException.REFERENCE_EXISTS, "One or more references exist to the schema"
                        + " {magic=1,keytype=SCHEMA,subject=" + subject + ",version=" + version.version() + "}.");
            }
        }
        final List<Integer> deleted = new ArrayList<>();
        for (final RegisteredSchema version : all) {
            if (permanent || !version.deleted()) {
                final RegistryChange.Deleted change = new RegistryChange.Deleted(subject, version.version(), permanent);
                journal.accept(change);
                applyDelete(change);
                deleted.add(version.version());
            }
        }
        return deleted;
    }

    private void applyDelete(final RegistryChange.Deleted deleted) {
        if (versions.apply(deleted)) {
            levels.forget(deleted.subject());
        }
    }

    /** Whether a schema may be registered as the next version of a subject (against one version, or all with -1). */
    public synchronized List<String> compatibilityProblems(final String subject, final Schema schema, final int againstVersion) {
        if (live(subject).isEmpty()) {
            return List.of();
        }
        final List<Schema> earlier = againstVersion == -1 ? live(subject).stream().map(RegisteredSchema::schema).toList()
                : List.of(version(subject, againstVersion).schema());
        return compatibility(subject).problems(schema, earlier);
    }

    /** Parses schema text with references against this registry, as a registration would. */
    public synchronized Schema resolveForCheck(final String schemaText, final List<SchemaReference> references) {
        return resolve(schemaText, references);
    }

    /** The compatibility level in force for a subject: its own, or the global one. */
    public synchronized CompatibilityLevel compatibility(final String subject) {
        return levels.of(subject);
    }

    /** The subject's own level, if it has one. */
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(final String subject) {
        return levels.ofSubjectOnly(subject);
    }

    public synchronized CompatibilityLevel globalCompatibility() {
        return levels.global();
    }

    public synchronized void setGlobalCompatibility(final CompatibilityLevel level) {
        configure(new RegistryChange.Configured(null, level));
    }

    /** Sets a subject's own level; null removes it, so the global one applies. */
    public synchronized void setCompatibility(final String subject, final CompatibilityLevel level) {
        configure(new RegistryChange.Configured(subject, level));
    }

    private void configure(final RegistryChange.Configured configured) {
        journal.accept(configured);
        levels.apply(configured);
    }

    @Override
    public String describe() {
        return name;
    }
}
