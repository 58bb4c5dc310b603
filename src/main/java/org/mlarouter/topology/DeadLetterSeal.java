package org.mlarouter.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.SecretKey;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.privacy.FieldCipher;
import org.mlarouter.privacy.KeyEncryptionKeys;

/**
 * Dead letters in encrypted mode (docs/contract.md, "Personal data"): a dead letter keeps its original value bytes
 * encrypted under a data key of its own, {@code mla-enc:v1:} and the nonce and AES-256-GCM ciphertext in binary
 * ({@link FieldCipher#encryptBytes}: 39 bytes more than the original, so a dead letter still fits where its record did),
 * bound to that key's id. The key goes, wrapped by the key-encryption key, to the keys topic under its id, in the same transaction as
 * the dead letter, and the header {@value #KEY_HEADER} names it. The id is
 * {@code <dead-letter topic>/<written at, epoch ms, 13 digits>/<source topic>-<partition>@<offset>[/<request id>]}:
 * <ul>
 *   <li>replay (and whoever holds the key-encryption keys) reads the key under that id and decrypts the original bytes;</li>
 *   <li>retention: once a dead letter is older than its topic's retention the router deletes its key (a tombstone), so
 *       no copy of it can be read either ({@link DeadLetterWriter});</li>
 *   <li>erasing a request deletes the keys of the dead letters whose id ends with that request id (a duplicate of it).</li>
 * </ul>
 * The original key bytes and the headers stay as they were: they carry no personal data.
 */
public final class DeadLetterSeal {

    /** The header that names a dead letter's data key in the keys topic. */
    public static final String KEY_HEADER = "mla.dlq.key";
    /** The Streams configuration key under which the router passes its seal to the exception handlers (an object). */
    static final String CONFIG = "mla.dead.letter.seal";
    private static final String FIELD = "value";

    private final KeyEncryptionKeys keyEncryptionKeys;
    private final String keysTopic;

    DeadLetterSeal(final KeyEncryptionKeys keyEncryptionKeys, final String keysTopic) {
        this.keyEncryptionKeys = keyEncryptionKeys;
        this.keysTopic = keysTopic;
    }

    /** The seal of a router in encrypted mode; empty in plain mode. */
    static Optional<DeadLetterSeal> of(final RouterConfig config) {
        return config.keyEncryptionKeys().map(keys -> new DeadLetterSeal(keys, config.topic(TopicRole.KEYS)));
    }

    /** The seal in the handlers' configuration, if the router encrypts. */
    static Optional<DeadLetterSeal> from(final Map<String, ?> configs) {
        return configs.get(CONFIG) instanceof DeadLetterSeal seal ? Optional.of(seal) : Optional.empty();
    }

    /** A sealed dead letter: its value as written, and its data key's id and wrapped form for the keys topic. */
    record Sealed(byte[] value, String keyId, byte[] wrappedKey) {
    }

    /**
     * Seals a dead letter's value under a new key and names the key in {@code headers}.
     *
     * @param requestId the request id it duplicates, if it is known, or null
     * @return null for a record without a value: nothing to seal
     */
    Sealed seal(final String deadLetterTopic, final Headers headers, final byte[] value, final String requestId, final long now) {
        if (value == null) {
            return null;
        }
        final String keyId = prefix(deadLetterTopic) + String.format("%013d", now) + "/" + DeadLetterHeaders.source(headers)
                + (requestId == null || requestId.isBlank() ? "" : "/" + requestId);
        final SecretKey key = KeyEncryptionKeys.newDataKey();
        headers.remove(KEY_HEADER).add(KEY_HEADER, keyId.getBytes(StandardCharsets.UTF_8));
        return new Sealed(FieldCipher.encryptBytes(key, keyId, FIELD, value), keyId, keyEncryptionKeys.wrap(keyId, key));
    }

    /** The dead letters Kafka Streams' handlers built, sealed, each followed by its key's record for the keys topic. */
    List<ProducerRecord<byte[], byte[]>> seal(final List<ProducerRecord<byte[], byte[]>> deadLetters, final long now) {
        final List<ProducerRecord<byte[], byte[]>> sealed = new ArrayList<>(deadLetters.size() * 2);
        for (final ProducerRecord<byte[], byte[]> letter : deadLetters) {
            final Sealed seal = seal(letter.topic(), letter.headers(), letter.value(), null, now);
            if (seal == null) {
                sealed.add(letter);
                continue;
            }
            sealed.add(new ProducerRecord<>(letter.topic(), letter.partition(), letter.timestamp(), letter.key(), seal.value(), letter.headers()));
            sealed.add(new ProducerRecord<>(keysTopic, null, letter.timestamp(), seal.keyId().getBytes(StandardCharsets.UTF_8), seal.wrappedKey()));
        }
        return sealed;
    }

    /** A sealed dead letter's original value bytes, with the data key named in its {@value #KEY_HEADER} header. */
    public static byte[] open(final String keyId, final SecretKey key, final byte[] value) {
        return FieldCipher.decryptBytes(key, keyId, FIELD, value);
    }

    /**
     * A dead letter's original value bytes: as they are when it was written in plain mode, else decrypted with the key
     * {@code keyOf} finds for the id in its {@value #KEY_HEADER} header; empty when there is none (deleted: erased, or
     * past retention) or it does not open.
     */
    public static Optional<byte[]> originalValue(final Iterable<org.apache.kafka.common.header.Header> headers, final byte[] value,
                                                 final java.util.function.Function<String, Optional<SecretKey>> keyOf) {
        if (!sealed(value)) {
            return Optional.ofNullable(value);
        }
        final String keyId = DeadLetterHeaders.text(headers, KEY_HEADER);
        try {
            return keyId == null ? Optional.empty() : keyOf.apply(keyId).map(key -> open(keyId, key, value));
        } catch (final FieldCipher.UndecryptableException e) {
            return Optional.empty();
        }
    }

    /** Whether a dead letter's value is sealed (written in encrypted mode). */
    public static boolean sealed(final byte[] value) {
        return FieldCipher.isEncrypted(value);
    }

    /** What the ids of a dead-letter topic's keys start with. */
    public static String prefix(final String deadLetterTopic) {
        return deadLetterTopic + "/";
    }

    /** The last id of a dead-letter topic's keys written before {@code millis}, for a range scan. */
    static String lastBefore(final String deadLetterTopic, final long millis) {
        return prefix(deadLetterTopic) + String.format("%013d", Math.max(0, millis - 1)) + "/\uffff";
    }

    /** The request a dead letter's key id names (the request it duplicates), if any. */
    public static Optional<String> requestIdOf(final String keyId) {
        final String[] parts = keyId.split("/", 4);
        return parts.length == 4 ? Optional.of(parts[3]) : Optional.empty();
    }

}
