package org.mlarouter.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The request-status store's value format of the releases before the Avro record ({@link RequestStatus#serde()}), read so
 * that a store they wrote still serves: a version byte (1), then each field of {@link RequestStatus} in order, strings
 * as a variable-length length (0 for null, else length + 1) and UTF-8, numbers as variable-length zig-zag longs. Never
 * written any more.
 */
final class StatusBytes {

    static final byte VERSION = 1;

    private final byte[] buffer;
    private int position;

    private StatusBytes(final byte[] buffer) {
        this.buffer = buffer;
    }

    /** Whether a stored value is in this format. */
    static boolean isBinary(final byte[] bytes) {
        return bytes.length > 0 && bytes[0] == VERSION;
    }

    static RequestStatus read(final byte[] bytes) {
        final StatusBytes in = new StatusBytes(bytes);
        if (in.buffer[in.position++] != VERSION) {
            throw new IllegalArgumentException("A request status of unknown format " + bytes[0]);
        }
        final String requestId = in.string();
        final String status = in.string();
        final String counterpartState = in.string();
        final String kind = in.string();
        final String urgency = in.string();
        final int reasonCount = (int) in.number();
        final List<RequestStatus.ReasonEntry> reasons = new ArrayList<>(reasonCount);
        for (int i = 0; i < reasonCount; i++) {
            reasons.add(new RequestStatus.ReasonEntry(in.string(), in.string()));
        }
        final String legalBasis = in.string();
        final Long coverageRevision = in.number() == 0 ? null : in.number();
        final long firstDecidedAt = in.number();
        final long decidedAt = in.number();
        final RequestStatus.ReviewEntry review = in.number() == 0 ? null
                : new RequestStatus.ReviewEntry(in.string(), in.string(), in.string(), in.number(), in.number());
        final boolean overdue = in.number() == 1;
        final int historyCount = (int) in.number();
        final List<RequestStatus.HistoryEntry> history = new ArrayList<>(historyCount);
        for (int i = 0; i < historyCount; i++) {
            history.add(new RequestStatus.HistoryEntry(in.string(), in.number(), in.string()));
        }
        if (in.position != bytes.length) {
            throw new IllegalArgumentException("A request status with " + (bytes.length - in.position) + " bytes left over");
        }
        return new RequestStatus(requestId, status, counterpartState, kind, urgency, List.copyOf(reasons), legalBasis,
                coverageRevision, firstDecidedAt, decidedAt, review, overdue, List.copyOf(history), null);
    }

    private String string() {
        final int length = (int) number() - 1;
        if (length < 0) {
            return null;
        }
        final String value = new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    private long number() {
        long zigZag = 0;
        for (int shift = 0; ; shift += 7) {
            final byte next = buffer[position++];
            zigZag |= (long) (next & 0x7F) << shift;
            if (next >= 0) {
                return (zigZag >>> 1) ^ -(zigZag & 1);
            }
        }
    }
}
