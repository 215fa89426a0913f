package dev.mmutrace.trace;

/**
 * What every entry-update event says, whichever hook made it: the slot stored into, the table
 * level it is at (its {@link EventType}'s, in Xen's numbering: 1 for set_pte, set_pte_at and
 * ptep_modify_prot, 2 set_pmd, 3 set_pud, 4 set_pgd) and the value. Models and the replay engine
 * read updates through this one view rather than each working out "set_pmd is level 2" for
 * itself; the events are the view, so reading it allocates nothing.
 */
public sealed interface EntryUpdate extends TraceEvent
        permits SetPte, SetPteAt, PtepModifyProt, SetPmd, SetPud, SetPgd {
    /** The gpa of the slot stored into. */
    long entryGpa();

    /** The guest's new entry (pfn-based); ptep_modify_prot's keeps the entry's A and D as well. */
    long value();

    /** The level of the table the slot is in: the type says it ({@link EventType#entryLevel()}). */
    default int level() {
        return type().entryLevel();
    }

    /**
     * {@code event} seen as the entry update its type says it is ({@link EventType#isEntryUpdate()}).
     * The per-event paths ask this rather than {@code instanceof EntryUpdate} or a cast to it: on
     * JDK 17 a type check against an interface keeps its last answer in the event class's own
     * metadata, one word that every thread's checks rewrite in turn, so replays on several threads
     * made each other wait for that cache line (JDK-8180450, fixed in JDK 23). A check against a
     * record's own class reads its class pointer only.
     *
     * @throws IllegalArgumentException if {@code event} is not an entry update
     */
    static EntryUpdate of(TraceEvent event) {
        if (event instanceof SetPteAt u) {
            return u;
        }
        if (event instanceof SetPte u) {
            return u;
        }
        if (event instanceof SetPmd u) {
            return u;
        }
        if (event instanceof PtepModifyProt u) {
            return u;
        }
        if (event instanceof SetPud u) {
            return u;
        }
        if (event instanceof SetPgd u) {
            return u;
        }
        throw new IllegalArgumentException("not an entry update: " + event.type());
    }

    /**
     * x86-64 PV's user-table slot a set_pgd also writes, or {@link TraceEvent#NO_ADDRESS}; no
     * other update has one.
     */
    default long userEntryGpa() {
        return NO_ADDRESS;
    }
}
