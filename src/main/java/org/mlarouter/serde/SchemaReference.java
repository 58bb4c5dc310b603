package org.mlarouter.serde;

/**
 * A reference from one registered schema to a named type registered under another subject, as Confluent's registry
 * keeps it: the type's full name, and the subject and version that define it.
 */
public record SchemaReference(String name, String subject, int version) {
}
