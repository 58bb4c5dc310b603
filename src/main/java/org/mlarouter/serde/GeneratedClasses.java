package org.mlarouter.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The generated classes of the contract ({@code org.mlarouter.avro}) as Avro's specific model finds them.
 *
 * <p>Since Avro 1.12.2 (AVRO-4189) a schema's name becomes a class only if that class is trusted, which by default
 * means listed in the system properties {@code org.apache.avro.SERIALIZABLE_CLASSES} or {@code SERIALIZABLE_PACKAGES}.
 * The router trusts, in addition to whatever those name, the classes avro-maven-plugin generated in the contract's
 * namespace and nothing else: a writer schema from the registry that names any other class is still refused. Every
 * place that asks Avro for a specific class or model goes through here, so the trust is in place before the first.
 */
public final class GeneratedClasses {

    /** The contract's namespace, with the dot that makes it a package prefix. */
    static final String NAMESPACE = "org.mlarouter.avro.";

    static {
        final ClassSecurityValidator.ClassSecurityPredicate contract =
                type -> type.getName().startsWith(NAMESPACE) && type.isAnnotationPresent(AvroGenerated.class);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), contract));
    }

    private GeneratedClasses() {
    }

    /** The specific model of a generated class. */
    public static SpecificData modelOf(final Class<?> type) {
        return SpecificData.getForClass(type);
    }

    /**
     * The generated class a schema names, or null if there is none here.
     *
     * @throws SecurityException if the schema names a class that exists but is not trusted
     */
    public static Class<?> classOf(final Schema schema) {
        return SpecificData.get().getClass(schema);
    }
}
