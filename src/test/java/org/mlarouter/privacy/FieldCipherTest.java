package org.mlarouter.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;

import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Personal fields encrypted in place, bound to their request and field; data keys wrapped by rotating key-encryption keys. */
class FieldCipherTest {

    @TempDir
    Path dir;

    @Test
    void shouldEncryptAFieldSoThatOnlyItsRequestsKeyForThatFieldReadsIt() {
        final SecretKey key = KeyEncryptionKeys.newDataKey();
        final String sealed = FieldCipher.encrypt(key, "req-1", "subjects[0].fullName", "Ivanov Ivan Ivanovich, ø 中");

        assertTrue(sealed.startsWith("mla-enc:v1:"), sealed);
        assertFalse(sealed.contains("Ivanov"));
        assertNotEquals(sealed, FieldCipher.encrypt(key, "req-1", "subjects[0].fullName", "Ivanov Ivan Ivanovich, ø 中"), "a fresh nonce each time");
        assertEquals("Ivanov Ivan Ivanovich, ø 中", FieldCipher.decrypt(key, "req-1", "subjects[0].fullName", sealed));
        assertThrows(FieldCipher.UndecryptableException.class, () -> FieldCipher.decrypt(key, "req-2", "subjects[0].fullName", sealed),
                "moved to another request");
        assertThrows(FieldCipher.UndecryptableException.class, () -> FieldCipher.decrypt(key, "req-1", "subjects[1].fullName", sealed),
                "moved to another field");
        assertThrows(FieldCipher.UndecryptableException.class, () -> FieldCipher.decrypt(KeyEncryptionKeys.newDataKey(), "req-1",
                "subjects[0].fullName", sealed), "another key");
        final byte[] altered = Base64.getDecoder().decode(sealed.substring(FieldCipher.PREFIX.length()));
        altered[altered.length - 1] ^= 1;
        assertThrows(FieldCipher.UndecryptableException.class, () -> FieldCipher.decrypt(key, "req-1", "subjects[0].fullName",
                FieldCipher.PREFIX + Base64.getEncoder().encodeToString(altered)), "altered");
        assertNull(FieldCipher.encrypt(key, "req-1", "offence.description", null));
        assertEquals("in clear", FieldCipher.decrypt(key, "req-1", "offence.description", "in clear"), "plain mode's values pass");
    }

    @Test
    void shouldSealEveryPersonalFieldOfARequestInPlaceAndOpenItAgain() {
        final SecretKey key = KeyEncryptionKeys.newDataKey();
        final org.mlarouter.avro.AssistanceRequest request = org.mlarouter.testing.Requests.mla("req-3", "FR").build();
        request.getSubjects().add(new org.mlarouter.avro.Person("Second Person", org.mlarouter.avro.PersonRole.WITNESS));
        final org.mlarouter.avro.AssistanceRequest before = org.mlarouter.avro.AssistanceRequest.newBuilder(request).build();

        PersonalData.sealInPlace(request, key);

        assertTrue(PersonalData.sealed(request));
        assertFalse(request.toString().contains(org.mlarouter.testing.Requests.SUBJECT_NAME) || request.toString().contains("Second Person")
                || request.toString().contains(before.getOffence().getDescription()), request.toString());
        assertEquals(before, PersonalData.open(request, key), "every field back, nothing else changed");
        assertThrows(FieldCipher.UndecryptableException.class, () -> PersonalData.open(request, KeyEncryptionKeys.newDataKey()));
    }

    @Test
    void shouldSealBytesWithTheirKeyBesideThemWrappedAndBoundToTheirTopic() throws Exception {
        final Path file = dir.resolve("kek-bytes");
        KeyEncryptionKeys.createIfMissing(file, java.time.Clock.systemUTC());
        final KeyEncryptionKeys keys = KeyEncryptionKeys.read(file);
        final byte[] clear = "a request naming Ivanov".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        final byte[] sealed = SealedBytes.seal(keys, "requests-by-id", clear);

        assertFalse(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Ivanov"));
        assertArrayEquals(clear, SealedBytes.open(keys, "requests-by-id", sealed));
        assertThrows(FieldCipher.UndecryptableException.class, () -> SealedBytes.open(keys, "reviews-by-id", sealed), "another topic's");
        assertArrayEquals(clear, SealedBytes.open(keys, "requests-by-id", clear), "bytes written before encryption pass as they are");
        final byte[] large = new byte[950_000];
        final byte[] sealedLarge = FieldCipher.encryptBytes(KeyEncryptionKeys.newDataKey(), "dlq-key-id", "value", large);
        assertEquals(large.length + 39, sealedLarge.length, "binary: the prefix, nonce and tag only, so a record that fit still fits");
        assertTrue(FieldCipher.isEncrypted(sealedLarge) && !FieldCipher.isEncrypted(large));
    }

    @Test
    void shouldUnwrapDataKeysWrappedBeforeARotationAndWrapNewOnesWithTheNewKey() throws Exception {
        final Path file = dir.resolve("kek");
        assertTrue(KeyEncryptionKeys.createIfMissing(file, Clock.systemUTC()));
        assertFalse(KeyEncryptionKeys.createIfMissing(file, Clock.systemUTC()), "an existing file is kept");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        final KeyEncryptionKeys before = KeyEncryptionKeys.read(file);
        final SecretKey dataKey = KeyEncryptionKeys.newDataKey();
        final byte[] wrappedBefore = before.wrap("req-1", dataKey);
        final String sealed = FieldCipher.encrypt(dataKey, "req-1", "offence.description", "Fraud at the Almaty branch");
        assertThrows(FieldCipher.UndecryptableException.class, () -> before.unwrap("req-2", wrappedBefore), "another request's key");

        final String newId = KeyEncryptionKeys.rotate(file, Clock.systemUTC());
        final KeyEncryptionKeys after = KeyEncryptionKeys.read(file);

        assertEquals(newId, after.currentId());
        assertNotEquals(before.currentId(), after.currentId());
        assertEquals("Fraud at the Almaty branch", FieldCipher.decrypt(after.unwrap("req-1", wrappedBefore), "req-1", "offence.description", sealed),
                "what was wrapped before the rotation still reads");
        final byte[] wrappedAfter = after.wrap("req-3", dataKey);
        assertTrue(new String(wrappedAfter, StandardCharsets.US_ASCII).startsWith(newId + ":"), "new data keys are wrapped with the new key");
        assertThrows(FieldCipher.UndecryptableException.class, () -> before.unwrap("req-3", wrappedAfter),
                "a router without the new key cannot unwrap what it wrapped");
        assertFalse(Files.readString(file).isBlank());
    }

    @Test
    void shouldRefuseAKeyFileThatIsNotOne() throws Exception {
        final Path file = Files.writeString(dir.resolve("not-a-kek"), "kek-1:not base64!\n");
        assertEquals(file + " line 1: the key is not Base64", assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKeys.read(file)).getMessage());
        Files.writeString(file, "kek-1:" + Base64.getEncoder().encodeToString(new byte[16]) + "\n");
        assertEquals(file + " line 1: not ID:BASE64 of 32 bytes", assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKeys.read(file)).getMessage());
    }
}
