package dev.mmutrace.trace;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The field checks every event record makes on construction, so no event can hold nonsense.
 * Virtual addresses have none here: any 64-bit pattern is one (an x86-64 kernel address has bit 63
 * set, so it is negative as a Java long), and their range per paging mode is EventValidator's
 * concern, since a record does not know its mode.
 */
final class Checks {
    private Checks() {
    }

    /** What every event says: the vCPU that issued it and, when the producer recorded one, when. */
    static void event(int cpu, long timestampNs) {
        checkArgument(cpu >= 0, "cpu must be >= 0, got %s", cpu);
        checkArgument(timestampNs >= TraceEvent.NO_TIMESTAMP,
                "timestamp_ns must be >= 0 or absent, got %s", timestampNs);
    }

    /** An entry update's common fields: the event's, and the slot stored into. */
    static void entryUpdate(int cpu, long timestampNs, long entryGpa) {
        event(cpu, timestampNs);
        address("entry_gpa", entryGpa);
    }

    /** Pin, unpin, alloc_pt and release_pt name one page-table page (by {@code field}) and its level. */
    static void tablePage(int cpu, long timestampNs, String field, long address, int level) {
        event(cpu, timestampNs);
        address(field, address);
        level(level);
    }

    static void level(int level) {
        checkArgument(level >= 1 && level <= 4, "level must be 1..4, got %s", level);
    }

    static void address(String field, long address) {
        if (address < 0) {
            // the wire holds unsigned 64-bit values: show the one the producer wrote
            throw new IllegalArgumentException(field + " must be below 2^63, got 0x" + Long.toHexString(address));
        }
    }

    static void optionalAddress(String field, long address) {
        if (address < 0 && address != TraceEvent.NO_ADDRESS) {
            throw new IllegalArgumentException(field + " must be below 2^63 or absent, got 0x"
                    + Long.toHexString(address));
        }
    }
}
