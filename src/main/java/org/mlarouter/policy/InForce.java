package org.mlarouter.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.TreatyCoverage;

/**
 * What an instrument's dates make of its status on a day, in the home state's zone (docs/contract.md, "Coverage over
 * time"): an {@code IN_FORCE} instrument whose {@code inForceSince} is later is not in force yet, and one whose
 * {@code inForceUntil} has passed is in force no more. The status published is otherwise taken as it is: a
 * {@code SIGNED} instrument with a date is still only signed.
 */
public final class InForce {

    private InForce() {
    }

    /** How an instrument stands on a day. */
    public enum Standing {
        /** Its published status holds: the dates, if any, do not change it on that day. */
        AS_PUBLISHED,
        /** Published {@code IN_FORCE}, but its {@code inForceSince} is later. */
        NOT_YET,
        /** Its {@code inForceUntil} has passed: suspended or terminated from the day after. */
        ENDED
    }

    /** How {@code instrument} stands on {@code day}. */
    public static Standing on(final Instrument instrument, final LocalDate day) {
        final LocalDate until = instrument.getInForceUntil();
        if (until != null && day.isAfter(until)) {
            return Standing.ENDED;
        }
        final LocalDate since = instrument.getInForceSince();
        if (instrument.getStatus() == InstrumentStatus.IN_FORCE && since != null && day.isBefore(since)) {
            return Standing.NOT_YET;
        }
        return Standing.AS_PUBLISHED;
    }

    /** Whether {@code instrument} is in force on {@code day}: published {@code IN_FORCE} and its dates allow it. */
    public static boolean inForce(final Instrument instrument, final LocalDate day) {
        return instrument.getStatus() == InstrumentStatus.IN_FORCE && on(instrument, day) == Standing.AS_PUBLISHED;
    }

    /**
     * What of a coverage depends on the day: how each instrument stands on it. Two days with the same fingerprint decide
     * every request alike; a date of the coverage arriving changes it.
     */
    public static String fingerprint(final TreatyCoverage coverage, final LocalDate day) {
        final StringBuilder standing = new StringBuilder(coverage.getInstruments().size());
        for (final Instrument instrument : coverage.getInstruments()) {
            standing.append(on(instrument, day).ordinal());
        }
        return standing.toString();
    }

    /**
     * Since when a coverage has applied as it does on {@code day}: its revision's {@code updatedAt}, or the start of its
     * latest date that took effect by then (an {@code inForceSince}, the day after an {@code inForceUntil}), whichever
     * is later.
     */
    public static Instant appliesSince(final TreatyCoverage coverage, final LocalDate day, final ZoneId zone) {
        LocalDate latest = null;
        for (final Instrument instrument : coverage.getInstruments()) {
            latest = later(latest, instrument.getStatus() == InstrumentStatus.IN_FORCE ? instrument.getInForceSince() : null, day);
            latest = later(latest, instrument.getInForceUntil() == null ? null : instrument.getInForceUntil().plusDays(1), day);
        }
        final Instant updated = coverage.getUpdatedAt();
        if (latest == null) {
            return updated;
        }
        final Instant start = latest.atStartOfDay(zone).toInstant();
        return start.isAfter(updated) ? start : updated;
    }

    private static LocalDate later(final LocalDate latest, final LocalDate candidate, final LocalDate day) {
        if (candidate == null || candidate.isAfter(day)) {
            return latest;
        }
        return latest == null || candidate.isAfter(latest) ? candidate : latest;
    }
}
