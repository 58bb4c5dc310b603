package org.mlarouter.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The local users of {@code mla.http.users.file} (docs/contract.md, version 3): one line per user,
 * {@code name:HASH:role[,role…][:authority]}, HASH a PHC string, argon2id ({@code $argon2id$…}) or bcrypt
 * ({@code $2a$}, {@code $2b$}, {@code $2y$}); blank lines and lines starting with {@code #} are skipped. Hashing and
 * checking are Spring Security's encoders (argon2id on Bouncy Castle); {@link #add} writes argon2id. A name that is not
 * in the file costs a check all the same, so the time of an answer does not tell whether a name exists.
 */
public final class LocalUsers {

    /** A local user: its name, password hash, roles and, for an agency, its authority. */
    public record User(String name, String hash, Set<Role> roles, Optional<String> authority) {

        public User {
            roles = Set.copyOf(roles);
        }

        /** The identity a call signed in as this user comes with. */
        public Identity identity() {
            return new Identity(name, roles, authority);
        }

        String line() {
            final List<String> labels = new ArrayList<>();
            for (final Role role : Role.values()) {
                if (roles.contains(role)) {
                    labels.add(role.label());
                }
            }
            return name + ":" + hash + ":" + String.join(",", labels) + authority.map(text -> ":" + text).orElse("");
        }
    }

    /** No users: the endpoint asks nobody to sign in. */
    public static final LocalUsers NONE = new LocalUsers(Map.of());

    private static final PasswordEncoder ARGON2 = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    private static final PasswordEncoder BCRYPT = new BCryptPasswordEncoder();
    /** Checked against when the name is unknown, so that the answer takes as long. */
    private static final String DECOY = ARGON2.encode("decoy password, never anyone's");

    private final Map<String, User> byName;

    private LocalUsers(final Map<String, User> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** Reads a users file; {@link IllegalArgumentException} naming the file and line of the first problem. */
    public static LocalUsers read(final Path file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new IllegalArgumentException("the users file " + file + " cannot be read: " + e.getMessage(), e);
        }
        final Map<String, User> users = new LinkedHashMap<>();
        for (int number = 1; number <= lines.size(); number++) {
            final String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                final User user = parse(line);
                if (users.put(user.name(), user) != null) {
                    throw new IllegalArgumentException("the name " + user.name() + " is given twice");
                }
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
            }
        }
        return new LocalUsers(users);
    }

    private static User parse(final String line) {
        final String[] parts = line.split(":", 4);
        if (parts.length < 3) {
            throw new IllegalArgumentException("a user is name:HASH:role[,role…][:authority]");
        }
        requireName(parts[0]);
        if (!isHash(parts[1])) {
            throw new IllegalArgumentException("the password of " + parts[0] + " is not an argon2id or bcrypt hash (PHC string);"
                    + " write it with 'mla-router users add'");
        }
        final Set<Role> roles = EnumSet.noneOf(Role.class);
        for (final String label : parts[2].split(",")) {
            if (!label.isBlank()) {
                roles.add(Role.of(label));
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException(parts[0] + " has no role");
        }
        return new User(parts[0], parts[1], roles, parts.length == 4 && !parts[3].isBlank() ? Optional.of(parts[3]) : Optional.empty());
    }

    private static void requireName(final String name) {
        if (name.isBlank() || !name.equals(name.strip()) || name.contains(":") || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a user's name must be non-blank, without colons, spaces around it or control characters");
        }
    }

    private static boolean isHash(final String hash) {
        return hash.startsWith("$argon2id$") || hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$");
    }

    /** Whether there are no users. */
    public boolean isEmpty() {
        return byName.isEmpty();
    }

    public Optional<User> user(final String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The user whose name and password these are, if they are one's. */
    public Optional<User> authenticate(final String name, final String password) {
        final User user = name == null ? null : byName.get(name);
        if (user == null || password == null) {
            ARGON2.matches(password == null ? "" : password, DECOY);
            return Optional.empty();
        }
        final PasswordEncoder encoder = user.hash().startsWith("$argon2id$") ? ARGON2 : BCRYPT;
        return encoder.matches(password, user.hash()) ? Optional.of(user) : Optional.empty();
    }

    /**
     * Adds a user to a users file, or replaces the one of that name, hashing the password with argon2id; the file is
     * created readable and writable by its owner only, and replaced whole.
     */
    public static User add(final Path file, final String name, final String password, final Set<Role> roles, final Optional<String> authority)
            throws IOException {
        requireName(name);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException(name + " needs a role");
        }
        if (authority.isPresent() && authority.get().contains("\n")) {
            throw new IllegalArgumentException("the authority is one line");
        }
        final User user = new User(name, ARGON2.encode(password), roles, authority);
        final List<String> lines = new ArrayList<>();
        boolean replaced = false;
        if (Files.exists(file)) {
            read(file); // refuses to add to a file that is not a users file
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.strip().startsWith(name + ":")) {
                    lines.add(user.line());
                    replaced = true;
                } else {
                    lines.add(line);
                }
            }
        }
        if (!replaced) {
            lines.add(user.line());
        }
        final Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path written = Files.createTempFile(parent, ".users", ".tmp");
        try {
            ownerOnly(written);
            Files.write(written, lines, StandardCharsets.UTF_8);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(written);
        }
        return user;
    }

    private static void ownerOnly(final Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (final UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's permissions protect it.
        }
    }
}
