package org.mlarouter.treaty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.InstrumentType;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.json.AvroJson;
import org.mlarouter.json.JsonFormatException;

/**
 * A validated treaty table: one {@link TreatyCoverage} per counterpart state, as published to {@code mla.treaties}.
 *
 * <p>The file is a JSON array of coverage records in the JSON form of docs/contract.md. Loading fails with a
 * {@link TreatyTableException} that names the file, the entry (its index and counterpart) and every problem: malformed
 * JSON, an unknown field or enum symbol, a missing field, a duplicate counterpart or instrument id, or anything
 * {@link CoverageValidator} rejects. A bilateral treaty id may appear under one counterpart only; a multilateral
 * convention appears under each of its parties, with the same title each time.
 */
public final class TreatyTable {

    /** Classpath location of the table shipped with the application: the treaty facts of the seed documents. */
    public static final String SHIPPED = "/treaties/kz-treaties.json";

    private static final ObjectMapper MAPPER = org.mlarouter.json.Json.MAPPER;

    private final Map<String, TreatyCoverage> coverageByCountry;

    private TreatyTable(final Map<String, TreatyCoverage> coverageByCountry) {
        this.coverageByCountry = Collections.unmodifiableMap(coverageByCountry);
    }

    /** The table shipped with the application. */
    public static TreatyTable shipped(final String homeState) {
        try (InputStream in = TreatyTable.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new TreatyTableException("classpath:" + SHIPPED, List.of("not found on the classpath"));
            }
            return parse("classpath:" + SHIPPED, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), homeState);
        } catch (final IOException e) {
            throw new TreatyTableException("classpath:" + SHIPPED, List.of("cannot be read: " + e.getMessage()));
        }
    }

    /** A table from a file. */
    public static TreatyTable load(final Path file, final String homeState) {
        final String text;
        try {
            text = Files.readString(file);
        } catch (final IOException e) {
            throw new TreatyTableException(file.toString(), List.of("cannot be read: " + e));
        }
        return parse(file.toString(), text, homeState);
    }

    /**
     * A table from JSON text.
     *
     * @param source the name of the text in error messages (a file name)
     */
    public static TreatyTable parse(final String source, final String json, final String homeState) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (final JsonProcessingException e) {
            throw new TreatyTableException(source, List.of("not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage()));
        }
        if (root == null || !root.isArray()) {
            throw new TreatyTableException(source, List.of("must be a JSON array of TreatyCoverage objects"));
        }
        final CoverageValidator validator = new CoverageValidator(homeState);
        final List<String> problems = new ArrayList<>();
        final Map<String, TreatyCoverage> coverageByCountry = new LinkedHashMap<>();
        final Map<String, String> bilateralOwner = new HashMap<>();
        final Map<String, String> conventionTitle = new HashMap<>();
        for (int index = 0; index < root.size(); index++) {
            final JsonNode node = root.get(index);
            final JsonNode state = node.get("counterpartState");
            final String entry = "entry " + index + (state != null && state.isTextual() ? " (" + state.textValue() + ")" : "");
            final TreatyCoverage coverage;
            try {
                coverage = AvroJson.fromJson(node, TreatyCoverage.class);
            } catch (final JsonFormatException e) {
                problems.add(entry + ": " + e.getMessage());
                continue;
            }
            validator.problems(coverage).forEach(problem -> problems.add(entry + ": " + problem));
            if (coverageByCountry.putIfAbsent(coverage.getCounterpartState(), coverage) != null) {
                problems.add(entry + ": duplicate counterpart " + coverage.getCounterpartState());
            }
            for (final Instrument instrument : coverage.getInstruments()) {
                final String id = instrument.getId();
                if (instrument.getType() == InstrumentType.BILATERAL_TREATY) {
                    final String owner = bilateralOwner.putIfAbsent(id, coverage.getCounterpartState());
                    if (owner != null && !owner.equals(coverage.getCounterpartState())) {
                        problems.add(entry + ": instrument " + id + ": duplicate instrument id (bilateral treaty already listed under " + owner + ")");
                    }
                } else {
                    final String title = conventionTitle.putIfAbsent(id, instrument.getTitle());
                    if (title != null && !title.equals(instrument.getTitle())) {
                        problems.add(entry + ": instrument " + id + ": duplicate instrument id with another title ('" + title + "')");
                    }
                }
            }
        }
        for (final String id : bilateralOwner.keySet()) {
            if (conventionTitle.containsKey(id)) {
                problems.add("instrument " + id + ": duplicate instrument id, used for a bilateral treaty and for a convention");
            }
        }
        if (!problems.isEmpty()) {
            throw new TreatyTableException(source, problems);
        }
        return new TreatyTable(coverageByCountry);
    }

    /** The coverage of one counterpart, if the table has it. */
    public Optional<TreatyCoverage> coverage(final String counterpartState) {
        return Optional.ofNullable(coverageByCountry.get(counterpartState));
    }

    /** Every coverage record, in file order. */
    public List<TreatyCoverage> all() {
        return List.copyOf(coverageByCountry.values());
    }
}
