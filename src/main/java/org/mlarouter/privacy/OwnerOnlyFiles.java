package org.mlarouter.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files of secrets the router writes (signing keys, key-encryption keys, a first password, kept sessions): readable
 * and writable by their owner only from the moment they exist, and replaced whole (written beside, then moved), so a
 * reader never sees half of one.
 */
public final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {
    }

    /** Writes {@code text} to {@code file} (UTF-8), creating its directory; the file is the owner's only. */
    public static void write(final Path file, final String text) {
        final Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path written;
            try {
                written = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (final UnsupportedOperationException notPosix) {
                written = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            }
            Files.writeString(written, text, StandardCharsets.UTF_8);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
