package org.mlarouter.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A positive duration written as a number and a unit ({@code 400d}, {@code 48h}, {@code 30m}, {@code 15s}, {@code 500ms}) or in ISO-8601 ({@code P2D}). */
public final class DurationValidator implements ConfigDef.Validator {

    /** The duration a setting's text stands for. */
    public static Duration parse(final String text) {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            final long amount = Long.parseLong(value.substring(0, value.length() - 1));
            switch (value.charAt(value.length() - 1)) {
                case 'd':
                    return Duration.ofDays(amount);
                case 'h':
                    return Duration.ofHours(amount);
                case 'm':
                    return Duration.ofMinutes(amount);
                case 's':
                    return Duration.ofSeconds(amount);
                default:
                    throw new IllegalArgumentException("no unit");
            }
        } catch (final DateTimeParseException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 400d, 48h, 30m, 15s, 500ms or P2D");
        }
    }

    @Override
    public void ensureValid(final String name, final Object value) {
        final Duration duration;
        try {
            duration = parse(String.valueOf(value));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new ConfigException(name, value, "must be a positive duration");
        }
    }

    @Override
    public String toString() {
        return "a positive duration: 400d, 48h, 30m, 15s, 500ms or ISO-8601 (P2D)";
    }
}
