package org.mlarouter.privacy;

import java.util.ArrayList;
import java.util.List;

import javax.crypto.SecretKey;

import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Offence;
import org.mlarouter.avro.Person;
import org.mlarouter.avro.RoutingDecision;

/**
 * The personal fields of a request (docs/contract.md, "Personal data"): each subject's {@code fullName} and the
 * offence's {@code description}, encrypted in place with the request's data key ({@link FieldCipher}), the field path
 * ({@code subjects[i].fullName}, {@code offence.description}) bound to each ciphertext. Nothing else of a request is
 * personal: routing reads kinds, measures, categories, flags and states only.
 */
public final class PersonalData {

    static final String DESCRIPTION = "offence.description";

    private PersonalData() {
    }

    static String fullName(final int index) {
        return "subjects[" + index + "].fullName";
    }

    /** The request with its personal fields encrypted. */
    public static AssistanceRequest seal(final AssistanceRequest request, final SecretKey key) {
        return transform(request, key, true);
    }

    /** The request with its personal fields in clear (a field in clear stays as it is). */
    public static AssistanceRequest open(final AssistanceRequest request, final SecretKey key) {
        return transform(request, key, false);
    }

    /**
     * Encrypts the request's personal fields in place, for the router's own copy on its way to be written: no copy of
     * the request is made (Avro's builders copy every field deeply, which cost more than the encryption).
     */
    public static void sealInPlace(final AssistanceRequest request, final SecretKey key) {
        final String id = request.getRequestId();
        final List<Person> subjects = request.getSubjects();
        for (int i = 0; i < subjects.size(); i++) {
            final Person person = subjects.get(i);
            person.setFullName(apply(key, id, fullName(i), person.getFullName(), true));
        }
        request.getOffence().setDescription(apply(key, id, DESCRIPTION, request.getOffence().getDescription(), true));
    }

    /** The decision with its request's personal fields in clear. */
    public static RoutingDecision open(final RoutingDecision decision, final SecretKey key) {
        return RoutingDecision.newBuilder(decision).setRequest(open(decision.getRequest(), key)).build();
    }

    /** The decision with every encrypted personal field of its request replaced by {@code shown} (it cannot be read). */
    public static RoutingDecision unreadable(final RoutingDecision decision, final String shown) {
        final AssistanceRequest request = decision.getRequest();
        final List<Person> subjects = new ArrayList<>(request.getSubjects().size());
        request.getSubjects().forEach(person -> subjects.add(FieldCipher.isEncrypted(person.getFullName())
                ? Person.newBuilder(person).setFullName(shown).build() : person));
        final Offence offence = FieldCipher.isEncrypted(request.getOffence().getDescription())
                ? Offence.newBuilder(request.getOffence()).setDescription(shown).build() : request.getOffence();
        return RoutingDecision.newBuilder(decision).setRequest(AssistanceRequest.newBuilder(request).setSubjects(subjects).setOffence(offence)
                .build()).build();
    }

    /** Whether any personal field of the request is encrypted. */
    public static boolean sealed(final AssistanceRequest request) {
        return FieldCipher.isEncrypted(request.getOffence().getDescription())
                || request.getSubjects().stream().anyMatch(person -> FieldCipher.isEncrypted(person.getFullName()));
    }

    private static AssistanceRequest transform(final AssistanceRequest request, final SecretKey key, final boolean seal) {
        final String id = request.getRequestId();
        final List<Person> subjects = new ArrayList<>(request.getSubjects().size());
        for (int i = 0; i < request.getSubjects().size(); i++) {
            final Person person = request.getSubjects().get(i);
            subjects.add(Person.newBuilder(person).setFullName(apply(key, id, fullName(i), person.getFullName(), seal)).build());
        }
        final Offence offence = Offence.newBuilder(request.getOffence())
                .setDescription(apply(key, id, DESCRIPTION, request.getOffence().getDescription(), seal)).build();
        return AssistanceRequest.newBuilder(request).setSubjects(subjects).setOffence(offence).build();
    }

    private static String apply(final SecretKey key, final String requestId, final String field, final String value, final boolean seal) {
        if (seal) {
            return FieldCipher.isEncrypted(value) ? value : FieldCipher.encrypt(key, requestId, field, value);
        }
        return FieldCipher.decrypt(key, requestId, field, value);
    }
}
