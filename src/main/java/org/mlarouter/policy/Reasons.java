package org.mlarouter.policy;

import java.util.ArrayList;
import java.util.List;

import org.mlarouter.avro.Reason;
import org.mlarouter.avro.ReasonCode;

/** The reasons a decision gathers, in the order the rules found them. */
final class Reasons {
    private final List<Reason> reasons = new ArrayList<>();

    void add(final ReasonCode code, final String detail) {
        reasons.add(new Reason(code, detail));
    }

    boolean isEmpty() {
        return reasons.isEmpty();
    }

    List<ReasonCode> codes() {
        final List<ReasonCode> codes = new ArrayList<>(reasons.size());
        for (final Reason reason : reasons) {
            codes.add(reason.getCode());
        }
        return codes;
    }

    List<Reason> list() {
        return reasons;
    }
}
