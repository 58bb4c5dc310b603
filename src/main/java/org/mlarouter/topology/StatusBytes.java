package org.mlarouter.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The request-status store's value format: a version byte, then each field of {@link RequestStatus} in order, strings
 * as a variable-length length (0 for null, else length + 1) and UTF-8, numbers as variable-length zig-zag longs. Written
 * for every request the router decides, so it is cheap: no reflection, no field names, about a third of the JSON's
 * size. Values written before this format were JSON, which always starts with '{'; they are still read.
 */
final class StatusBytes {

    static final byte VERSION = 1;

    private byte[] buffer;
    private int position;

    private StatusBytes(final byte[] buffer) {
        this.buffer = buffer;
    }

    /** Whether {@code bytes} are in this format (not the JSON of earlier versions). */
    static boolean isBinary(final byte[] bytes) {
        return bytes.length > 0 && bytes[0] == VERSION;
    }

    static byte[] write(final RequestStatus status) {
        final StatusBytes out = new StatusBytes(new byte[128]);
        out.buffer[out.position++] = VERSION;
        out.string(status.requestId()).string(status.status()).string(status.counterpartState()).string(status.kind())
                .string(status.urgency());
        out.number(status.reasons().size());
        for (final RequestStatus.ReasonEntry reason : status.reasons()) {
            out.string(reason.code()).string(reason.detail());
        }
        out.string(status.legalBasis()).number(status.coverageRevision() == null ? 0 : 1);
        if (status.coverageRevision() != null) {
            out.number(status.coverageRevision());
        }
        out.number(status.firstDecidedAt()).number(status.decidedAt());
        final RequestStatus.ReviewEntry review = status.review();
        out.number(review == null ? 0 : 1);
        if (review != null) {
            out.string(review.decision()).string(review.reviewer()).string(review.grounds()).number(review.reviewedAt())
                    .number(review.pendingSince());
        }
        out.number(status.overdue() ? 1 : 0).number(status.history().size());
        for (final RequestStatus.HistoryEntry entry : status.history()) {
            out.string(entry.route()).number(entry.decidedAt()).string(entry.reviewer());
        }
        return Arrays.copyOf(out.buffer, out.position);
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
                coverageRevision, firstDecidedAt, decidedAt, review, overdue, List.copyOf(history));
    }

    private StatusBytes string(final String value) {
        if (value == null) {
            return number(0);
        }
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        number(utf8.length + 1L);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buffer, position, utf8.length);
        position += utf8.length;
        return this;
    }

    private StatusBytes number(final long value) {
        ensure(10);
        long zigZag = (value << 1) ^ (value >> 63);
        while ((zigZag & ~0x7FL) != 0) {
            buffer[position++] = (byte) ((zigZag & 0x7F) | 0x80);
            zigZag >>>= 7;
        }
        buffer[position++] = (byte) zigZag;
        return this;
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

    private void ensure(final int more) {
        if (position + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
        }
    }
}
