package org.mlarouter.json;

/** A JSON value that does not fit its Avro schema; the message names the field by its JSON path. */
public final class JsonFormatException extends IllegalArgumentException {

    private final String path;

    public JsonFormatException(final String path, final String problem) {
        super(path + " " + problem);
        this.path = path;
    }

    /** The JSON path of the offending field, e.g. {@code $.offence.category}. */
    public String path() {
        return path;
    }
}
