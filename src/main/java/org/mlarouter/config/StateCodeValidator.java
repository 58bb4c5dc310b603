package org.mlarouter.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.mlarouter.policy.StateCodes;

/** A setting that names a state: an ISO 3166-1 alpha-2 code. */
final class StateCodeValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(final String name, final Object value) {
        if (!StateCodes.isAssigned((String) value)) {
            throw new ConfigException(name, value, "expected an ISO 3166-1 alpha-2 code assigned to a country, such as KZ");
        }
    }

    @Override
    public String toString() {
        return "ISO 3166-1 alpha-2 code";
    }
}
