package org.mlarouter.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.mlarouter.avro.ReviewOutcome;

/**
 * The router's signature on the review outcomes it writes (docs/contract.md, version 3): HMAC-SHA256 over the record's
 * value bytes with the key of {@code mla.review.signing.key.file}, Base64 in the {@value #HEADER} header. The review
 * processor applies only outcomes whose signature verifies; any other goes to the review dead-letter topic as
 * {@code UNSIGNED_OUTCOME}. The key file holds at least 32 random bytes, Base64; {@link #createKeyFile} makes one
 * readable by its owner only. The JDK's {@code Mac} does the work.
 */
public final class OutcomeSignature {

    /** The header carrying the signature. */
    public static final String HEADER = "mla.signature";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    private OutcomeSignature(final byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** The key of a key file; a {@link ConfigException} naming the file when it cannot be read or is too short. */
    public static OutcomeSignature fromFile(final String configKey, final Path file) {
        final byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (final IOException e) {
            throw new ConfigException(configKey, file.toString(), "the signing key cannot be read: " + e.getMessage());
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(configKey, file.toString(), "the signing key is not Base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new ConfigException(configKey, file.toString(), "the signing key has " + key.length + " bytes, fewer than " + MIN_KEY_BYTES);
        }
        return new OutcomeSignature(key);
    }

    /** Writes a new random key (32 bytes, Base64) to {@code file}, readable by its owner only, unless the file exists. */
    public static boolean createKeyFile(final Path file) {
        if (Files.exists(file)) {
            return false;
        }
        final byte[] key = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        OwnerOnlyFiles.write(file, Base64.getEncoder().encodeToString(key) + "\n");
        return true;
    }

    /** The signature of a record's value bytes, as the header carries it. */
    public byte[] sign(final byte[] value) {
        return Base64.getEncoder().encode(mac(value));
    }

    /** Whether a record's last {@value #HEADER} header is the signature of its value. */
    public boolean verifies(final byte[] value, final Headers headers) {
        final Header header = headers == null ? null : headers.lastHeader(HEADER);
        if (value == null || header == null || header.value() == null) {
            return false;
        }
        final byte[] given;
        try {
            given = Base64.getDecoder().decode(header.value());
        } catch (final IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(value), given);
    }

    /** A serializer that writes as {@code serializer} does and signs what it wrote (the producer then sends the header). */
    public Serializer<ReviewOutcome> signing(final Serializer<ReviewOutcome> serializer) {
        final OutcomeSignature signature = this;
        return new Serializer<>() {
            @Override
            public void configure(final Map<String, ?> configs, final boolean isKey) {
                serializer.configure(configs, isKey);
            }

            @Override
            public byte[] serialize(final String topic, final ReviewOutcome outcome) {
                throw new IllegalStateException("A signed outcome needs its record's headers");
            }

            @Override
            public byte[] serialize(final String topic, final Headers headers, final ReviewOutcome outcome) {
                final byte[] value = serializer.serialize(topic, headers, outcome);
                headers.remove(HEADER);
                headers.add(HEADER, signature.sign(value));
                return value;
            }

            @Override
            public void close() {
                serializer.close();
            }
        };
    }

    private byte[] mac(final byte[] value) {
        try {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(value);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
