package org.mlarouter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mlarouter.config.RouterConfig;
import org.mlarouter.topology.OutcomeSignature;

/** The review signing key of the tests' routers: one file per JVM, written as the embedded stack writes its own. */
public final class SigningKeys {

    private static final Path FILE = create();

    private SigningKeys() {
    }

    private static Path create() {
        try {
            final Path dir = Files.createTempDirectory("mla-signing-");
            dir.toFile().deleteOnExit();
            final Path file = dir.resolve("review-signing.key");
            OutcomeSignature.createKeyFile(file);
            file.toFile().deleteOnExit();
            return file;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key file's path, for {@link RouterConfig#REVIEW_SIGNING_KEY_FILE_CONFIG}. */
    public static String file() {
        return FILE.toString();
    }

    /** The headers of a record whose value is {@code value}, signed as the router signs it. */
    public static org.apache.kafka.common.header.Headers signed(final byte[] value) {
        return new org.apache.kafka.common.header.internals.RecordHeaders().add(OutcomeSignature.HEADER, signature().sign(value));
    }

    /** The key, to sign outcomes as the router does. */
    public static OutcomeSignature signature() {
        return OutcomeSignature.fromFile(RouterConfig.REVIEW_SIGNING_KEY_FILE_CONFIG, FILE);
    }
}
