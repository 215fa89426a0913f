package dev.mmutrace.replay.observe;

/** Xen validated every entry of a page-table page when it took a page-table type. */
public record FullValidation(long event, int cpu, long mfn, int level, int entriesScanned) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
