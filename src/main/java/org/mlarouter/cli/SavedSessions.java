package org.mlarouter.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlarouter.privacy.OwnerOnlyFiles;
import org.mlarouter.json.Json;

/**
 * The sessions {@code mla-router login} keeps, one per endpoint URL, in {@code $XDG_CONFIG_HOME/mla-router/sessions.json}
 * (else {@code ~/.config/mla-router/sessions.json}): the router's session token, its scheme, the user and when it ends
 * at the latest. The directory is readable by its owner only, and so is the file; no password is kept.
 */
final class SavedSessions {

    /** A kept session. */
    record Saved(String user, String scheme, String token, Instant expiresAt) {

        /** The {@code Authorization} header's value. */
        String authorization() {
            return scheme + " " + token;
        }
    }

    private final Path file;
    private final Clock clock;

    SavedSessions(final Map<String, String> environment, final Clock clock) {
        final String config = environment.get("XDG_CONFIG_HOME");
        final Path base = config != null && !config.isBlank() ? Path.of(config)
                : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        this.file = base.resolve("mla-router").resolve("sessions.json");
        this.clock = clock;
    }

    Path file() {
        return file;
    }

    /** The session kept for an endpoint, unless it has ended. */
    Optional<Saved> find(final URI url) {
        final JsonNode entry = read().path(key(url));
        if (!entry.isObject()) {
            return Optional.empty();
        }
        final Saved saved = new Saved(entry.path("user").asText(), entry.path("scheme").asText(), entry.path("token").asText(),
                Instant.parse(entry.path("expiresAt").asText()));
        return saved.expiresAt().isAfter(clock.instant()) ? Optional.of(saved) : Optional.empty();
    }

    void save(final URI url, final Saved saved) {
        final ObjectNode all = read();
        all.putObject(key(url)).put("user", saved.user()).put("scheme", saved.scheme()).put("token", saved.token())
                .put("expiresAt", saved.expiresAt().toString());
        write(all);
    }

    /** Forgets the session of an endpoint; whether there was one. */
    boolean remove(final URI url) {
        final ObjectNode all = read();
        final boolean had = all.remove(key(url)) != null;
        if (had) {
            write(all);
        }
        return had;
    }

    private static String key(final URI url) {
        return url.toString().replaceAll("/+$", "");
    }

    private ObjectNode read() {
        if (!Files.exists(file)) {
            return Json.object();
        }
        try {
            final JsonNode node = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return node instanceof ObjectNode ? (ObjectNode) node : Json.object();
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(final ObjectNode all) {
        final Path dir = file.getParent();
        if (!Files.exists(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (final IOException e) {
                throw new UncheckedIOException("Cannot create " + dir + ": " + e.getMessage(), e);
            }
        }
        OwnerOnlyFiles.write(file, all.toString());
    }
}
