package org.mlarouter.privacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.crypto.SecretKey;

/**
 * Bytes that cross an internal topic sealed, with their key beside them wrapped by the key-encryption key: what the
 * router writes to its repartition topics in encrypted mode (a request keyed otherwise than by its id crosses one on its
 * way to its id's partition). Kafka Streams deletes what it has read from them; until the broker drops the segment, the
 * bytes on disk are ciphertext. The layout is {@code "MLAS" | wrapped key length (2 bytes) | wrapped key | mla-enc:v1:,
 * nonce and ciphertext}, in binary (a request at the size limit still fits), the key and the ciphertext bound to
 * {@code context} (the topic's role), so bytes from one such topic do not open as another's. Bytes without the marker
 * are returned as they are by {@link #open}: records written before the router encrypted.
 */
public final class SealedBytes {

    private static final byte[] MARKER = "MLAS".getBytes(StandardCharsets.US_ASCII);
    private static final String FIELD = "bytes";

    private SealedBytes() {
    }

    /** The bytes sealed under a new key, wrapped by the current key-encryption key. */
    public static byte[] seal(final KeyEncryptionKeys keys, final String context, final byte[] clear) {
        if (clear == null) {
            return null;
        }
        final SecretKey key = KeyEncryptionKeys.newDataKey();
        final byte[] wrapped = keys.wrap(context, key);
        final byte[] sealed = FieldCipher.encryptBytes(key, context, FIELD, clear);
        return ByteBuffer.allocate(MARKER.length + 2 + wrapped.length + sealed.length).put(MARKER).putShort((short) wrapped.length)
                .put(wrapped).put(sealed).array();
    }

    /**
     * The clear bytes of what {@link #seal} made; bytes without its marker as they are.
     *
     * @throws FieldCipher.UndecryptableException when they do not open with these keys in this context
     */
    public static byte[] open(final KeyEncryptionKeys keys, final String context, final byte[] bytes) {
        if (bytes == null || bytes.length < MARKER.length + 2 || !Arrays.equals(bytes, 0, MARKER.length, MARKER, 0, MARKER.length)) {
            return bytes;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes, MARKER.length, bytes.length - MARKER.length);
        final int wrappedLength = Short.toUnsignedInt(buffer.getShort());
        if (wrappedLength > buffer.remaining()) {
            throw new FieldCipher.UndecryptableException("sealed bytes of " + context + " are cut short");
        }
        final byte[] wrapped = new byte[wrappedLength];
        buffer.get(wrapped);
        final SecretKey key = keys.unwrap(context, wrapped);
        return FieldCipher.decryptBytes(key, context, FIELD, Arrays.copyOfRange(bytes, buffer.position(), bytes.length));
    }
}
