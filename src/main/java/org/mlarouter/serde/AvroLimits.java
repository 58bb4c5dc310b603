package org.mlarouter.serde;

/**
 * Bounds on what a record may declare, so that hostile or corrupt bytes cannot make Avro allocate what they claim: a
 * string or bytes length of 1 GB in a record of a few hundred bytes, or an array of a billion items. Avro reads these
 * limits from system properties once, when it first checks one ({@code org.apache.avro.SystemLimitException}); they are
 * set here, before the router decodes anything, unless the user has set them. A request is at most
 * {@code mla.max.request.bytes} (900 KB by default), so no legitimate value comes near them.
 */
final class AvroLimits {

    /** The most bytes a string or bytes value may declare. */
    static final int MAX_LENGTH = 16 * 1024 * 1024;
    /** The most items an array or map may declare. */
    static final int MAX_ITEMS = 1024 * 1024;

    private static final String[][] LIMITS = {
        {"org.apache.avro.limits.string.maxLength", String.valueOf(MAX_LENGTH)},
        {"org.apache.avro.limits.bytes.maxLength", String.valueOf(MAX_LENGTH)},
        {"org.apache.avro.limits.collectionItems.maxLength", String.valueOf(MAX_ITEMS)},
    };

    private AvroLimits() {
    }

    static void install() {
        for (final String[] limit : LIMITS) {
            if (System.getProperty(limit[0]) == null) {
                System.setProperty(limit[0], limit[1]);
            }
        }
    }
}
