package dev.mmutrace.trace.importer;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceHeader;
import java.util.function.Consumer;

/**
 * What an imported trace (ftrace text, trace.dat) does not say and the importer must be told.
 *
 * @param mode the guest's paging mode (upstream Xen PV guests are {@code 4level})
 * @param vcpus vCPU count, or {@link #INFER} to take it from the file's {@code #P:N} /
 *     {@code cpus=N} preamble or, failing that, a first pass for the highest cpu seen
 * @param pfnLimit guest memory in frames, or {@link #INFER} for a first pass taking the highest
 *     pfn the trace names, plus one (then no pfn can be "beyond memory")
 * @param directMapBase the kernel virtual address of gpa 0 in the direct map (PAGE_OFFSET;
 *     give the KASLR-randomised base when the kernel has one)
 * @param keepHashedPointers accept hashed {@code %p} values as opaque identities instead of
 *     refusing them
 * @param acceptRawValues accept trace-cmd's {@code [FAILED TO PARSE]} entry values, which are the
 *     raw (machine-frame) ones, as pfn-based: only true when the p2m is the identity
 * @param legacyPtLevels alloc/release_ptpage levels use Linux's pre-4.12 {@code enum pt_level}
 *     (PGD=0, PUD=1, PMD=2, PTE=3) rather than the one with P4D (PGD=0 .. PTE=4)
 * @param labels free-form labels carried into the header
 * @param lenient skip (and count) damaged or cut text lines instead of refusing the input
 */
public record ImportOptions(PagingMode mode, int vcpus, long pfnLimit, long directMapBase,
        boolean keepHashedPointers, boolean acceptRawValues, boolean legacyPtLevels,
        ImmutableMap<String, String> labels, boolean lenient) {

    /** A vCPU count or pfn limit the importer works out from the file. */
    public static final int INFER = 0;

    public ImportOptions {
        requireNonNull(mode, "mode");
        checkArgument(vcpus >= 0 && vcpus <= TraceHeader.MAX_VCPUS, "vcpus must be 1..%s, got %s",
                TraceHeader.MAX_VCPUS, vcpus);
        checkArgument(pfnLimit >= 0, "pfn_limit must be >= 1, got %s", pfnLimit);
        requireNonNull(labels, "labels");
    }

    /** Everything inferred, the mode's default PAGE_OFFSET, hashed pointers and raw values refused. */
    public static ImportOptions defaults(PagingMode mode) {
        return new ImportOptions(mode, INFER, INFER, mode.defaultPageOffset(), false, false, false,
                ImmutableMap.of(), false);
    }

    public ImportOptions withVcpus(int n) {
        return edit(d -> d.vcpus = n);
    }

    public ImportOptions withPfnLimit(long n) {
        return edit(d -> d.pfnLimit = n);
    }

    public ImportOptions withDirectMapBase(long base) {
        return edit(d -> d.directMapBase = base);
    }

    public ImportOptions withKeepHashedPointers(boolean keep) {
        return edit(d -> d.keepHashedPointers = keep);
    }

    public ImportOptions withAcceptRawValues(boolean accept) {
        return edit(d -> d.acceptRawValues = accept);
    }

    public ImportOptions withLegacyPtLevels(boolean legacy) {
        return edit(d -> d.legacyPtLevels = legacy);
    }

    public ImportOptions withLabels(ImmutableMap<String, String> newLabels) {
        return edit(d -> d.labels = newLabels);
    }

    public ImportOptions withLenient(boolean skipDamaged) {
        return edit(d -> d.lenient = skipDamaged);
    }

    /** A copy with one change: the one place that lists every component, so a new option is one line here. */
    private ImportOptions edit(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new ImportOptions(d.mode, d.vcpus, d.pfnLimit, d.directMapBase, d.keepHashedPointers,
                d.acceptRawValues, d.legacyPtLevels, d.labels, d.lenient);
    }

    /** The components while one is being changed; never escapes {@link #edit}, which validates the result. */
    private static final class Draft {
        PagingMode mode;
        int vcpus;
        long pfnLimit;
        long directMapBase;
        boolean keepHashedPointers;
        boolean acceptRawValues;
        boolean legacyPtLevels;
        ImmutableMap<String, String> labels;
        boolean lenient;

        Draft(ImportOptions o) {
            mode = o.mode;
            vcpus = o.vcpus;
            pfnLimit = o.pfnLimit;
            directMapBase = o.directMapBase;
            keepHashedPointers = o.keepHashedPointers;
            acceptRawValues = o.acceptRawValues;
            legacyPtLevels = o.legacyPtLevels;
            labels = o.labels;
            lenient = o.lenient;
        }
    }
}
