package org.mlarouter.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.mlarouter.avro.store.RequestStatusRecord;
import org.mlarouter.avro.store.StatusCoverageChange;
import org.mlarouter.avro.store.StatusHistoryEntry;
import org.mlarouter.avro.store.StatusProposal;
import org.mlarouter.avro.store.StatusReason;
import org.mlarouter.avro.store.StatusReview;
import org.mlarouter.serde.PlainAvroSerde;

/** How a {@link RequestStatus} is stored: this release's Avro record, and every format an earlier release wrote. */
final class StatusFormat {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = org.mlarouter.json.Json.MAPPER;

    private StatusFormat() {
    }

    /** The first byte of a status stored as a {@link RequestStatusRecord} of schema version 1, before its Avro binary. */
    static final byte AVRO_V1 = 2;
    /** The first byte of a status stored as a {@link RequestStatusRecord} of schema version 2 (four-eyes). */
    static final byte AVRO_V2 = 3;
    /** The first byte of a status stored as a {@link RequestStatusRecord} of schema version 3 (the data key). */
    static final byte AVRO_V3 = 4;
    /** The first byte of a status stored as a {@link RequestStatusRecord} of schema version 4 (coverage changed), this release's. */
    static final byte AVRO_V4 = 5;
    private static final byte[] FORMAT = {AVRO_V4};
    private static final PlainAvroSerde.Codec<RequestStatusRecord> RECORDS = PlainAvroSerde.codecWithCustomCoders(RequestStatusRecord.class);
    private static final org.apache.avro.Schema SCHEMA_V1 = earlierSchema("RequestStatusRecord-v1.avsc");
    private static final org.apache.avro.Schema SCHEMA_V2 = earlierSchema("RequestStatusRecord-v2.avsc");
    private static final org.apache.avro.Schema SCHEMA_V3 = earlierSchema("RequestStatusRecord-v3.avsc");

    private static org.apache.avro.Schema earlierSchema(final String name) {
        try (java.io.InputStream in = StatusFormat.class.getResourceAsStream("/store-schemas/" + name)) {
            return new org.apache.avro.Schema.Parser().parse(in);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The store's serde: one byte ({@link #AVRO_V4}) and the Avro binary of a {@link RequestStatusRecord}
     * ({@code schemas/store/RequestStatusRecord.avsc}, which evolves FULL_TRANSITIVE). What earlier releases stored is still
     * read: the binary of the schema's earlier versions (first byte {@link #AVRO_V3}, {@link #AVRO_V2} or {@link #AVRO_V1}, read with that version's schema from
     * {@code store-schemas/}), of {@link StatusBytes} (first byte 1) and, before it, JSON.
     */
    static Serde<RequestStatus> serde() {
        final Serializer<RequestStatus> serializer = (topic, status) -> status == null ? null : toBytes(status);
        final Deserializer<RequestStatus> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == AVRO_V4) {
                return of(RECORDS.decode(bytes, 1, bytes.length - 1));
            }
            if (bytes.length > 0 && bytes[0] == AVRO_V3) {
                return of(RECORDS.decode(bytes, 1, bytes.length - 1, SCHEMA_V3));
            }
            if (bytes.length > 0 && bytes[0] == AVRO_V2) {
                return of(RECORDS.decode(bytes, 1, bytes.length - 1, SCHEMA_V2));
            }
            if (bytes.length > 0 && bytes[0] == AVRO_V1) {
                return of(RECORDS.decode(bytes, 1, bytes.length - 1, SCHEMA_V1));
            }
            if (StatusBytes.isBinary(bytes)) {
                return StatusBytes.read(bytes);
            }
            try {
                return JSON.readValue(bytes, RequestStatus.class);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static byte[] toBytes(final RequestStatus status) {
        return RECORDS.encode(FORMAT, toRecord(status));
    }

    /** As the store's Avro record. */
    static RequestStatusRecord toRecord(final RequestStatus s) {
        final List<StatusReason> reasonRecords = new ArrayList<>(s.reasons().size());
        s.reasons().forEach(reason -> reasonRecords.add(new StatusReason(reason.code(), reason.detail())));
        final List<StatusHistoryEntry> historyRecords = new ArrayList<>(s.history().size());
        s.history().forEach(entry -> historyRecords.add(new StatusHistoryEntry(entry.route(), entry.decidedAt(), entry.reviewer())));
        final RequestStatus.ReviewEntry review = s.review();
        final RequestStatus.ProposalEntry proposal = s.proposal();
        return new RequestStatusRecord(s.requestId(), s.status(), s.counterpartState(), s.kind(), s.urgency(), reasonRecords, s.legalBasis(),
                s.coverageRevision(), s.firstDecidedAt(), s.decidedAt(), review == null ? null : new StatusReview(review.decision(),
                        review.reviewer(), review.grounds(), review.reviewedAt(), review.pendingSince(), review.confirmedBy(), review.confirmedAt()),
                s.overdue(), historyRecords, proposal == null ? null : new StatusProposal(proposal.decision(), proposal.reviewer(),
                        proposal.grounds(), proposal.legalBasis(), proposal.reviewedAt()), s.requestingAuthority(),
                s.dataKey() == null ? null : java.nio.ByteBuffer.wrap(s.dataKey()), s.personalDataErased(), change(s.coverageChanged()));
    }

    /** From the store's Avro record. */
    static RequestStatus of(final RequestStatusRecord record) {
        final List<RequestStatus.ReasonEntry> reasonEntries = new ArrayList<>(record.getReasons().size());
        record.getReasons().forEach(reason -> reasonEntries.add(new RequestStatus.ReasonEntry(reason.getCode(), reason.getDetail())));
        final List<RequestStatus.HistoryEntry> historyEntries = new ArrayList<>(record.getHistory().size());
        record.getHistory().forEach(entry -> historyEntries.add(new RequestStatus.HistoryEntry(entry.getRoute(), entry.getDecidedAt(), entry.getReviewer())));
        final StatusReview review = record.getReview();
        final StatusProposal proposal = record.getProposal();
        return new RequestStatus(record.getRequestId(), record.getStatus(), record.getCounterpartState(), record.getKind(), record.getUrgency(),
                List.copyOf(reasonEntries), record.getLegalBasis(), record.getCoverageRevision(), record.getFirstDecidedAt(), record.getDecidedAt(),
                review == null ? null : new RequestStatus.ReviewEntry(review.getDecision(), review.getReviewer(), review.getGrounds(), review.getReviewedAt(),
                        review.getPendingSince(), review.getConfirmedBy(), review.getConfirmedAt()), record.getOverdue(), List.copyOf(historyEntries),
                proposal == null ? null : new RequestStatus.ProposalEntry(proposal.getDecision(), proposal.getReviewer(), proposal.getGrounds(),
                        proposal.getLegalBasis(), proposal.getReviewedAt()), record.getRequestingAuthority(), bytes(record.getDataKey()),
                record.getPersonalDataErased(), change(record.getCoverageChanged()));
    }

    private static StatusCoverageChange change(final RequestStatus.CoverageChange change) {
        if (change == null) {
            return null;
        }
        final List<StatusReason> reasons = new ArrayList<>(change.reasons().size());
        change.reasons().forEach(reason -> reasons.add(new StatusReason(reason.code(), reason.detail())));
        return new StatusCoverageChange(change.route(), reasons, change.legalBasis(), change.coverageRevision(), change.since());
    }

    private static RequestStatus.CoverageChange change(final StatusCoverageChange record) {
        if (record == null) {
            return null;
        }
        final List<RequestStatus.ReasonEntry> reasons = new ArrayList<>(record.getReasons().size());
        record.getReasons().forEach(reason -> reasons.add(new RequestStatus.ReasonEntry(reason.getCode(), reason.getDetail())));
        return new RequestStatus.CoverageChange(record.getRoute(), List.copyOf(reasons), record.getLegalBasis(), record.getCoverageRevision(),
                record.getSince());
    }

    private static byte[] bytes(final java.nio.ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
