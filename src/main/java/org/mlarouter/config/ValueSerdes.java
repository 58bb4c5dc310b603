package org.mlarouter.config;

import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.mlarouter.serde.AvroSerdeConfig;

/** Instances of the configured value serde class ({@link RouterConfig#VALUE_SERDE_CLASS_CONFIG}), configured for one record type. */
final class ValueSerdes {

    private ValueSerdes() {
    }

    /**
     * A new, configured {@code serdeClass} producing records of {@code type}, with the router's serde settings and
     * {@code extraConfigs} where those have none.
     *
     * @throws ConfigException naming {@link RouterConfig#VALUE_SERDE_CLASS_CONFIG} when the class is no serde or cannot be created
     */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> Serde<T> create(final Class<?> serdeClass, final Class<T> type, final Map<String, Object> serdeConfigs,
                                                      final Map<String, Object> extraConfigs) {
        if (!Serde.class.isAssignableFrom(serdeClass)) {
            throw new ConfigException(RouterConfig.VALUE_SERDE_CLASS_CONFIG, serdeClass.getName(), "not a " + Serde.class.getName());
        }
        final Serde<T> serde;
        try {
            serde = (Serde<T>) serdeClass.getDeclaredConstructor().newInstance();
        } catch (final ReflectiveOperationException e) {
            final Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new ConfigException(RouterConfig.VALUE_SERDE_CLASS_CONFIG, serdeClass.getName(),
                    "cannot be created with a public no-argument constructor: " + cause);
        }
        final Map<String, Object> configs = new HashMap<>(serdeConfigs);
        configs.put(AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, type);
        configs.putIfAbsent(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        extraConfigs.forEach(configs::putIfAbsent);
        serde.configure(configs, false);
        return serde;
    }
}
