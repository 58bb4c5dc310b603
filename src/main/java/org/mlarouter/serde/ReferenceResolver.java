package org.mlarouter.serde;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Parses a schema that names types registered under other subjects (Confluent's schema references): each referenced
 * schema is parsed first, its own references before it, into one parser, so that the names resolve. Used by the
 * registry when a schema is registered and by the serde when it reads a writer schema by id.
 */
public final class ReferenceResolver {

    /** A registered schema's text and its own references, as the registry serves a subject's version. */
    public record Source(String schemaText, List<SchemaReference> references) {
    }

    private ReferenceResolver() {
    }

    /**
     * The schema {@code text}, its references resolved through {@code lookup}.
     *
     * @throws SchemaRegistryException 422 / 42201 when the text, or a referenced schema, is not a valid Avro schema
     */
    public static Schema parse(final String text, final List<SchemaReference> references, final Function<SchemaReference, Source> lookup) {
        final Schema.Parser parser = new Schema.Parser();
        final Set<String> parsed = new HashSet<>();
        for (final SchemaReference reference : references) {
            parseInto(parser, reference, lookup, parsed, 0);
        }
        return parseText(parser, text);
    }

    private static void parseInto(final Schema.Parser parser, final SchemaReference reference, final Function<SchemaReference, Source> lookup,
                                  final Set<String> parsed, final int depth) {
        if (depth > 32) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: references nested too deep at "
                    + reference.subject() + " version " + reference.version());
        }
        if (!parsed.add(reference.subject() + "/" + reference.version()) || parser.getTypes().containsKey(reference.name())) {
            return;
        }
        final Source source = lookup.apply(reference);
        for (final SchemaReference nested : source.references()) {
            parseInto(parser, nested, lookup, parsed, depth + 1);
        }
        parseText(parser, source.schemaText());
    }

    private static Schema parseText(final Schema.Parser parser, final String text) {
        try {
            return parser.parse(text);
        } catch (final SchemaParseException | NullPointerException | IllegalArgumentException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
        }
    }
}
