package org.mlarouter.serde;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The versions of every subject of an {@link InMemorySchemaRegistry}, soft-deleted ones included, with the look-ups
 * Confluent's API makes of them. Not thread-safe: the registry calls it under its lock.
 */
final class SubjectVersions {

    private final Map<String, List<RegisteredSchema>> bySubject = new LinkedHashMap<>();

    void add(final RegisteredSchema registered) {
        bySubject.computeIfAbsent(registered.subject(), ignored -> new ArrayList<>()).add(registered);
    }

    /** The next version number of a subject. */
    int nextVersion(final String subject) {
        final List<RegisteredSchema> versions = bySubject.getOrDefault(subject, List.of());
        return versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    }

    /** The live versions of a subject, oldest first; empty if none. */
    List<RegisteredSchema> live(final String subject) {
        return bySubject.getOrDefault(subject, List.of()).stream().filter(version -> !version.deleted()).toList();
    }

    /** The live versions of a subject (with {@code deleted}, soft-deleted ones too), oldest first; 40401 if none. */
    List<RegisteredSchema> versions(final String subject, final boolean deleted) {
        final List<RegisteredSchema> versions = bySubject.getOrDefault(subject, List.of()).stream()
                .filter(version -> deleted || !version.deleted()).toList();
        if (versions.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    /** One version of a subject; {@code -1} is the latest. 40401, or 40402 for a version it does not have. */
    RegisteredSchema version(final String subject, final int version, final boolean deleted) {
        final List<RegisteredSchema> versions = versions(subject, deleted);
        if (version == -1) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(candidate -> candidate.version() == version).findFirst()
                .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found."));
    }

    /** Every subject with a live version (with {@code deleted}, any version), sorted. */
    List<String> subjects(final boolean deleted) {
        final TreeSet<String> subjects = new TreeSet<>();
        bySubject.forEach((subject, versions) -> {
            if (versions.stream().anyMatch(version -> deleted || !version.deleted())) {
                subjects.add(subject);
            }
        });
        return new ArrayList<>(subjects);
    }

    /** The live versions registered with a schema id. */
    List<RegisteredSchema> usesOf(final int id) {
        final List<RegisteredSchema> uses = new ArrayList<>();
        bySubject.values().forEach(versions -> versions.stream().filter(version -> version.id() == id && !version.deleted()).forEach(uses::add));
        return uses;
    }

    /** The ids of the schemas (live ones only, or all) whose references name a subject's version, sorted. */
    List<Integer> referencing(final String subject, final int version, final boolean liveOnly) {
        final TreeSet<Integer> ids = new TreeSet<>();
        bySubject.values().forEach(versions -> versions.stream().filter(candidate -> !liveOnly || !candidate.deleted())
                .filter(candidate -> candidate.references().stream().anyMatch(reference -> reference.subject().equals(subject)
                        && reference.version() == version))
                .forEach(candidate -> ids.add(candidate.id())));
        return new ArrayList<>(ids);
    }

    /** Applies a delete; true when the subject has no version left at all. */
    boolean apply(final RegistryChange.Deleted deleted) {
        final List<RegisteredSchema> versions = bySubject.get(deleted.subject());
        if (versions == null) {
            return false;
        }
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).version() == deleted.version()) {
                if (deleted.permanent()) {
                    versions.remove(i);
                } else {
                    versions.set(i, versions.get(i).softDeleted());
                }
                break;
            }
        }
        if (versions.isEmpty()) {
            bySubject.remove(deleted.subject());
            return true;
        }
        return false;
    }
}
