package org.mlarouter.privacy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * One personal field, encrypted in place (docs/contract.md, "Personal data"): {@value #PREFIX} followed by the Base64 of
 * a 12-byte random nonce and the AES-256-GCM ciphertext with its 16-byte tag. The associated data is the request id
 * and the field's path (e.g. {@code subjects[0].fullName}), so a ciphertext cannot be moved to another request or
 * field: it would not decrypt there. The JDK's {@code Cipher} does the work.
 */
public final class FieldCipher {

    /** What every encrypted field starts with. */
    public static final String PREFIX = "mla-enc:v1:";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A cipher per thread: Cipher.getInstance looks the provider up each time, which costs more than the encryption of a field. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    });

    /** This thread's AES-GCM cipher, to be initialized before each use. */
    static Cipher cipher() {
        return CIPHERS.get();
    }

    private FieldCipher() {
    }

    /** Whether a value is a field encrypted this way. */
    public static boolean isEncrypted(final String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** The encrypted form of {@code clear} (null stays null). */
    public static String encrypt(final SecretKey key, final String requestId, final String field, final String clear) {
        return clear == null ? null : PREFIX + Base64.getEncoder().encodeToString(seal(key, requestId, field, clear.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The clear text of an encrypted field; a value that is not encrypted is returned as it is.
     *
     * @throws UndecryptableException when it does not decrypt with this key for this request and field
     */
    public static String decrypt(final SecretKey key, final String requestId, final String field, final String value) {
        if (!isEncrypted(value)) {
            return value;
        }
        final byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (final IllegalArgumentException e) {
            throw new UndecryptableException(field + " of " + requestId + " is not Base64 after " + PREFIX);
        }
        return new String(open(key, requestId, field, sealed, 0, sealed.length), StandardCharsets.UTF_8);
    }

    /**
     * Bytes encrypted the same way, in binary: {@value #PREFIX} in ASCII, then the nonce and the ciphertext with its tag,
     * 39 bytes more than {@code clear} (Base64 would add a third, and a record at the size limit would no longer fit).
     */
    public static byte[] encryptBytes(final SecretKey key, final String requestId, final String field, final byte[] clear) {
        final byte[] sealed = seal(key, requestId, field, clear);
        return ByteBuffer.allocate(PREFIX_BYTES.length + sealed.length).put(PREFIX_BYTES).put(sealed).array();
    }

    /**
     * The clear bytes of what {@link #encryptBytes} made.
     *
     * @throws UndecryptableException when they are not such bytes, or do not decrypt with this key for this request and field
     */
    public static byte[] decryptBytes(final SecretKey key, final String requestId, final String field, final byte[] value) {
        if (!isEncrypted(value)) {
            throw new UndecryptableException(field + " of " + requestId + " does not start with " + PREFIX);
        }
        return open(key, requestId, field, value, PREFIX_BYTES.length, value.length - PREFIX_BYTES.length);
    }

    /** Whether some bytes start as {@link #encryptBytes} makes them. */
    public static boolean isEncrypted(final byte[] value) {
        return value != null && value.length >= PREFIX_BYTES.length && java.util.Arrays.equals(value, 0, PREFIX_BYTES.length, PREFIX_BYTES, 0,
                PREFIX_BYTES.length);
    }

    /** A new nonce, then the ciphertext and tag. */
    private static byte[] seal(final SecretKey key, final String requestId, final String field, final byte[] clear) {
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            final Cipher cipher = cipher();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(requestId, field));
            final byte[] sealed = new byte[NONCE_BYTES + cipher.getOutputSize(clear.length)];
            System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
            cipher.doFinal(clear, 0, clear.length, sealed, NONCE_BYTES);
            return sealed;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private static byte[] open(final SecretKey key, final String requestId, final String field, final byte[] sealed, final int offset,
                               final int length) {
        if (length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UndecryptableException(field + " of " + requestId + " is too short to be a ciphertext");
        }
        try {
            final Cipher cipher = cipher();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, offset, NONCE_BYTES));
            cipher.updateAAD(associatedData(requestId, field));
            return cipher.doFinal(sealed, offset + NONCE_BYTES, length - NONCE_BYTES);
        } catch (final javax.crypto.AEADBadTagException e) {
            throw new UndecryptableException(field + " of " + requestId + " does not decrypt with this request's key");
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private static byte[] associatedData(final String requestId, final String field) {
        return (requestId + '\u0000' + field).getBytes(StandardCharsets.UTF_8);
    }

    /** A ciphertext that does not decrypt: another request's or field's, a wrong key, or altered. */
    public static final class UndecryptableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UndecryptableException(final String message) {
            super(message);
        }
    }
}
