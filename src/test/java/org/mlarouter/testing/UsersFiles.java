package org.mlarouter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.mlarouter.ops.LocalUsers;
import org.mlarouter.ops.Role;

/** Users files for tests, written as {@code mla-router users add} writes them. */
public final class UsersFiles {

    private UsersFiles() {
    }

    /** A users file in {@code dir} with each {@code name:password:role[,role][:authority]}. */
    public static Path write(final Path dir, final String... users) {
        final Path file = dir.resolve("users");
        try {
            for (final String user : users) {
                final String[] parts = user.split(":", 4);
                final Set<Role> roles = EnumSet.noneOf(Role.class);
                for (final String role : parts[2].split(",")) {
                    roles.add(Role.of(role));
                }
                LocalUsers.add(file, parts[0], parts[1], roles, parts.length == 4 ? Optional.of(parts[3]) : Optional.empty());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The users of such a file. */
    public static LocalUsers of(final Path dir, final String... users) {
        return LocalUsers.read(write(dir, users));
    }
}
