package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.replay.observe.ValidationFailure;
import dev.mmutrace.report.FailureRecord;
import dev.mmutrace.report.ValidationFailures;
import java.util.ArrayList;
import java.util.List;

/**
 * Validation failures: every one counted by reason, the first {@value #FIRST} kept in full so a
 * reader can go straight to the events, and the first fatal one (lguest's kill_guest) remembered
 * because the model replayed nothing after it.
 */
final class FailureAnalyzer {
    static final int FIRST = 10;

    private final Tally byReason = new Tally();
    private final List<FailureRecord> first = new ArrayList<>();
    private long total;
    private long fatal;
    private ValidationFailure firstFatal;

    void observe(ValidationFailure f) {
        total++;
        byReason.add(f.reason(), 1);
        if (first.size() < FIRST) {
            first.add(new FailureRecord(f.event(), f.cpu(), f.reason(), f.message()));
        }
        if (f.fatal()) {
            fatal++;
            if (firstFatal == null) {
                firstFatal = f;
            }
        }
    }

    /** The event that stopped the model, or -1. */
    long killedAtEvent() {
        return firstFatal == null ? -1 : firstFatal.event();
    }

    String killReason() {
        return firstFatal == null ? "" : firstFatal.reason() + ": " + firstFatal.message();
    }

    ValidationFailures report() {
        return new ValidationFailures(total, fatal, byReason.toMap(), ImmutableList.copyOf(first));
    }
}
