package dev.mmutrace.replay.observe;

/**
 * One method per kind of {@link Observation}: what an analyzer implements to take each kind in its
 * own typed method. {@link Observation#accept} calls the one for its kind.
 *
 * <p>Why not an instanceof chain in the analyzer: a chain over every kind is too big for the JIT
 * to inline where a model emits an observation, so every record was allocated and dispatched
 * through the chain. Through {@code accept}, the emission site knows the record's exact type, the
 * small typed method inlines there, and a record no one keeps need not be allocated at all.
 * Abstract methods, not no-op defaults: a new kind of observation does not compile until every
 * visitor says what it does with it.
 */
public interface ObservationVisitor {
    void visit(Hypercall o);

    void visit(Multicall o);

    void visit(Exit o);

    void visit(Fault o);

    void visit(Flush o);

    void visit(MissedFlush o);

    void visit(ValidationFailure o);

    void visit(UnknownStateWalk o);

    void visit(GapUncertainty o);

    void visit(PtwrEmulation o);

    void visit(PinChange o);

    void visit(FullValidation o);

    void visit(TypeChange o);

    void visit(PgdirSwitch o);

    void visit(PgdirEviction o);

    void visit(ShadowPage o);

    void visit(ShadowFill o);

    void visit(ShadowDiscard o);

    void visit(ShadowClearAll o);

    void visit(StackRepin o);

    void visit(IgnoredEvent o);

    void visit(Remark o);

    void visit(Work o);
}
