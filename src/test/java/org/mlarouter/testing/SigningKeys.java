package org.mlarouter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.PersonalDataKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.privacy.OutcomeSignature;

/**
 * The keys of the tests' routers, one file each per JVM, written as the embedded stack writes its own: the review
 * signing key and the key-encryption keys of personal data.
 */
public final class SigningKeys {

    private static final Path FILE = create();
    /** The key-encryption keys of the tests' routers (personal data encrypted), made as the embedded stack makes its own. */
    private static final Path KEK = createKek();

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

    private static Path createKek() {
        final Path file = FILE.getParent().resolve("kek");
        org.mlarouter.privacy.KeyEncryptionKeys.createIfMissing(file, java.time.Clock.systemUTC());
        file.toFile().deleteOnExit();
        return file;
    }

    /** The key-encryption key file's path, for {@link RouterConfig#PERSONAL_DATA_KEK_FILE_CONFIG}. */
    public static String kekFile() {
        return KEK.toString();
    }

    /** The key-encryption keys, to read the personal data the tests' routers wrote. */
    public static org.mlarouter.privacy.KeyEncryptionKeys keyEncryptionKeys() {
        return org.mlarouter.privacy.KeyEncryptionKeys.read(KEK);
    }

    /** The settings every test router needs for its keys. */
    public static java.util.Map<String, String> settings() {
        return java.util.Map.of(ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG, file(), PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG, kekFile());
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
        return OutcomeSignature.fromFile(ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG, FILE);
    }
}
