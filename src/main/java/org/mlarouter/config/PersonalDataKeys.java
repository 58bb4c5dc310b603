package org.mlarouter.config;

import java.nio.file.Path;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.mlarouter.privacy.KeyEncryptionKeys;

/**
 * The keys of personal data ({@code mla.personal.data.*}: encrypted or plain, the key-encryption keys) and how long the
 * topics the router creates keep their records ({@code mla.topic.<role>.retention}); their definitions, and reading the
 * key-encryption keys. {@link RouterConfig} has the getters.
 */
public final class PersonalDataKeys {

    public static final String PERSONAL_DATA_PROTECTION_CONFIG = "mla.personal.data.protection";
    private static final String PERSONAL_DATA_PROTECTION_DOC = "encrypted: every subjects[].fullName and offence.description the router"
            + " writes (decisions, the overdue topic, stores and their changelogs) is mla-enc:v1: ciphertext under a data key of its"
            + " request, kept wrapped in the keys topic; plain: version 2's behaviour, the personal data in clear.";

    public static final String PERSONAL_DATA_KEK_FILE_CONFIG = "mla.personal.data.kek.file";
    private static final String PERSONAL_DATA_KEK_FILE_DOC = "The key-encryption keys that wrap each request's data key: a file readable by"
            + " its owner only, one ID:BASE64 key per line, the first the current one ('mla-router keys kek-new FILE' writes one,"
            + " 'mla-router keys kek-rotate FILE' puts a new one first). Required in encrypted mode; the embedded stack makes its own.";


    private PersonalDataKeys() {
    }

    static void define(final ConfigDef config) {
        config
                .define(PERSONAL_DATA_PROTECTION_CONFIG, Type.STRING, "encrypted", ConfigDef.ValidString.in("encrypted", "plain"),
                        Importance.HIGH, PERSONAL_DATA_PROTECTION_DOC)
                .define(PERSONAL_DATA_KEK_FILE_CONFIG, Type.STRING, "", Importance.HIGH, PERSONAL_DATA_KEK_FILE_DOC);
    }

    /** The retention of each topic the router creates (none for a compacted one). */
    static void defineRetention(final ConfigDef config) {
        for (final TopicRole role : TopicRole.values()) {
            role.defaultRetention().ifPresent(retention -> config.define(role.retentionKey(), Type.STRING, retention,
                    (name, value) -> {
                        if (value != null && !((String) value).isBlank()) {
                            new DurationValidator().ensureValid(name, value);
                        }
                    }, Importance.MEDIUM, "How long " + role.defaultName() + " keeps its records (retention.ms) when the router creates it"
                            + (retention.isEmpty() ? "; empty: mla.request.retention." : ".")));
        }
    }

    /**
     * The key-encryption keys of a file.
     *
     * @throws ConfigException with one line when no file is set or it cannot be read
     */
    static KeyEncryptionKeys keyEncryptionKeys(final String file) {
        if (file.isBlank()) {
            throw new ConfigException(PERSONAL_DATA_KEK_FILE_CONFIG + " is not set: in encrypted mode (" + PERSONAL_DATA_PROTECTION_CONFIG
                    + ") the router wraps each request's data key with it; write one with 'mla-router keys kek-new FILE'");
        }
        try {
            return KeyEncryptionKeys.read(Path.of(file));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(PERSONAL_DATA_KEK_FILE_CONFIG, file, e.getMessage());
        }
    }
}
