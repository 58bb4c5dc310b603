package org.mlarouter.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys (docs/contract.md, "Personal data"): the keys that wrap each request's data key. They live in
 * a file readable by its owner only, one per line, {@code ID:BASE64} (32 random bytes); the first line is the current
 * key, which wraps new data keys, and the others still unwrap what they wrapped. Rotation puts a new key first and
 * keeps the old ones ({@link #rotate}): data wrapped before stays readable, and what is wrapped after uses the new key.
 * A wrapped data key is {@code ID:BASE64(nonce || AES-256-GCM ciphertext and tag)}, its associated data the request
 * id, so it cannot be given to another request.
 */
public final class KeyEncryptionKeys {

    private static final int NONCE_BYTES = 12;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKey> byId;
    private final String currentId;

    private KeyEncryptionKeys(final Map<String, SecretKey> byId, final String currentId) {
        this.byId = byId;
        this.currentId = currentId;
    }

    /** The keys of a file; an {@link IllegalArgumentException} naming the file and the line for a bad one. */
    public static KeyEncryptionKeys read(final Path file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (final IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage(), e);
        }
        final Map<String, SecretKey> keys = new LinkedHashMap<>();
        int number = 0;
        for (final String line : lines) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final int colon = line.indexOf(':');
            final byte[] key;
            try {
                key = colon <= 0 ? null : Base64.getDecoder().decode(line.substring(colon + 1).strip());
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + number + ": the key is not Base64");
            }
            if (key == null || key.length != KEY_BYTES) {
                throw new IllegalArgumentException(file + " line " + number + ": not ID:BASE64 of " + KEY_BYTES + " bytes");
            }
            keys.putIfAbsent(line.substring(0, colon).strip(), new SecretKeySpec(key, "AES"));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no key");
        }
        return new KeyEncryptionKeys(Map.copyOf(keys), keys.keySet().iterator().next());
    }

    /** Writes a file with one new key, readable by its owner only, unless it exists; whether it wrote one. */
    public static boolean createIfMissing(final Path file, final Clock clock) {
        if (Files.exists(file)) {
            return false;
        }
        write(file, List.of(newLine(clock)));
        return true;
    }

    /** Puts a new current key first in the file, keeping the others (they still unwrap what they wrapped); its id. */
    public static String rotate(final Path file, final Clock clock) {
        read(file); // a file that is not a key file is not touched
        final List<String> lines = new ArrayList<>();
        final String line = newLine(clock);
        lines.add(line);
        try {
            lines.addAll(Files.readAllLines(file, StandardCharsets.US_ASCII));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        write(file, lines);
        return line.substring(0, line.indexOf(':'));
    }

    private static String newLine(final Clock clock) {
        final byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        final byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        final String id = "kek-" + DateTimeFormatter.BASIC_ISO_DATE.format(clock.instant().atZone(java.time.ZoneOffset.UTC)) + "-"
                + java.util.HexFormat.of().formatHex(suffix);
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    private static void write(final Path file, final List<String> lines) {
        OwnerOnlyFiles.write(file, String.join("\n", lines) + "\n");
    }

    /** The id of the key that wraps new data keys. */
    public String currentId() {
        return currentId;
    }

    /** A new data key for one request: 256 random bits. */
    public static SecretKey newDataKey() {
        final byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }

    /** A request's data key wrapped by the current key, as {@code mla.keys} holds it. */
    public byte[] wrap(final String requestId, final SecretKey dataKey) {
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            final Cipher cipher = FieldCipher.cipher();
            cipher.init(Cipher.ENCRYPT_MODE, byId.get(currentId), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(requestId.getBytes(StandardCharsets.UTF_8));
            final byte[] sealed = cipher.doFinal(dataKey.getEncoded());
            return (currentId + ":" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array()))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * A request's data key from its wrapped form, with whichever of the keys wrapped it.
     *
     * @throws FieldCipher.UndecryptableException for an unknown key id, another request's key, or altered bytes
     */
    public SecretKey unwrap(final String requestId, final byte[] wrapped) {
        final String text = new String(wrapped, StandardCharsets.US_ASCII);
        final int colon = text.indexOf(':');
        final SecretKey kek = colon <= 0 ? null : byId.get(text.substring(0, colon));
        if (kek == null) {
            throw new FieldCipher.UndecryptableException("the data key of " + requestId + " was wrapped by a key-encryption key this router does"
                    + " not hold" + (colon > 0 ? " (" + text.substring(0, colon) + ")" : ""));
        }
        try {
            final byte[] sealed = Base64.getDecoder().decode(text.substring(colon + 1));
            final Cipher cipher = FieldCipher.cipher();
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(requestId.getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), "AES");
        } catch (final IllegalArgumentException | javax.crypto.AEADBadTagException e) {
            throw new FieldCipher.UndecryptableException("the wrapped data key of " + requestId + " does not unwrap");
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }
}
