package org.mlarouter.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

import org.mlarouter.config.HttpKeys;
import org.mlarouter.ops.LocalUsers;
import org.mlarouter.ops.Role;

/**
 * The embedded stack's first user: with no users file and no issuer configured, a users file in the data directory
 * with one supervisor (and operator), {@value #NAME}, made on first start. Its password is random and written to a
 * file of its own, readable by its owner only; the banner says where, and no log ever holds it. Replace it with
 * {@code mla-router users add}, then delete the file.
 */
final class FirstSupervisor {

    static final String NAME = "admin";
    private static final String USERS = "users";
    private static final String PASSWORD_FILE = "first-supervisor.password";

    private final Path usersFile;
    private final Path passwordFile;
    private final boolean created;

    private FirstSupervisor(final Path usersFile, final Path passwordFile, final boolean created) {
        this.usersFile = usersFile;
        this.passwordFile = passwordFile;
        this.created = created;
    }

    /** The first supervisor of {@code dataDir}, made if need be, its users file put in {@code given}; empty when users are configured. */
    static Optional<FirstSupervisor> ensure(final Path dataDir, final Map<String, String> given) {
        if (given.containsKey(HttpKeys.HTTP_USERS_FILE_CONFIG) || given.containsKey(HttpKeys.HTTP_OIDC_ISSUER_CONFIG)
                || given.containsKey(HttpKeys.HTTP_USERS_CONFIG)) {
            return Optional.empty();
        }
        final Path usersFile = dataDir.resolve(USERS).toAbsolutePath();
        final Path passwordFile = dataDir.resolve(PASSWORD_FILE).toAbsolutePath();
        boolean created = false;
        try {
            if (!Files.exists(usersFile)) {
                final byte[] random = new byte[18];
                new SecureRandom().nextBytes(random);
                final String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                org.mlarouter.privacy.OwnerOnlyFiles.write(passwordFile, password + "\n");
                LocalUsers.add(usersFile, NAME, password, EnumSet.of(Role.SUPERVISOR, Role.OPERATOR), Optional.empty());
                created = true;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        given.put(HttpKeys.HTTP_USERS_FILE_CONFIG, usersFile.toString());
        return Optional.of(new FirstSupervisor(usersFile, passwordFile, created));
    }

    /** {@code admin:PASSWORD} while the password file is there (the demo signs in with it). */
    Optional<String> credentials() {
        try {
            return Files.exists(passwordFile) ? Optional.of(NAME + ":" + Files.readString(passwordFile, StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (final IOException e) {
            return Optional.empty();
        }
    }

    /** The banner's line: who signs in, and where the password is (never the password). */
    String note() {
        if (Files.exists(passwordFile)) {
            return NAME + " (supervisor, operator)" + (created ? ", made now" : "") + "; its password is in " + passwordFile
                    + ". Set your own: ./mla-router users add " + NAME + " --role supervisor,operator --file " + usersFile
                    + ", then delete that file";
        }
        return "the users of " + usersFile + " (./mla-router users add NAME --role ROLE --file " + usersFile + ")";
    }
}
