package dev.mmutrace.trace;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.mmutrace.trace.TraceInputException.quote;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import java.util.function.Consumer;

/**
 * What a trace says about the guest before its first event (SPEC §2): paging mode, vCPUs, guest
 * memory size in frames, the kernel address split, the kernel's top table if known, the p2m,
 * the CPU features, whether accesses are implied or explicit, whether guest memory starts empty
 * or unknown, who produced it, and free labels (workload, kernel version, commit) that reports
 * carry along.
 */
public record TraceHeader(
        PagingMode pagingMode,
        int vcpus,
        long pfnLimit,
        long pageOffset,
        long initMmPgd,
        P2m p2m,
        CpuFeatures cpuFeatures,
        AccessMode accessMode,
        InitialMemory initialMemory,
        String producer,
        String producerVersion,
        ImmutableMap<String, String> labels) {

    /** vCPUs are named by bit in a multi flush's target set, hence at most 64. */
    public static final int MAX_VCPUS = 64;

    public TraceHeader {
        requireNonNull(pagingMode, "paging_mode");
        checkArgument(vcpus >= 1 && vcpus <= MAX_VCPUS, "vcpus must be 1..%s, got %s", MAX_VCPUS, vcpus);
        checkArgument(pfnLimit >= 1, "pfn_limit must be >= 1, got %s", pfnLimit);
        checkArgument(pageOffset >= 0 || pagingMode == PagingMode.FOUR_LEVEL,
                "page_offset must be a non-negative address, got %s", pageOffset);
        checkArgument(initMmPgd >= 0 || initMmPgd == TraceEvent.NO_ADDRESS,
                "init_mm_pgd must be an address or absent, got %s", initMmPgd);
        requireNonNull(p2m, "p2m");
        requireNonNull(cpuFeatures, "cpu_features");
        requireNonNull(accessMode, "access_mode");
        requireNonNull(initialMemory, "initial_memory");
        requireNonNull(producer, "producer");
        requireNonNull(producerVersion, "producer_version");
        requireNonNull(labels, "labels");
        checkArgument(isOneLine(producer), "producer %s holds a line break (%s)", quote(producer), ONE_LINE);
        checkArgument(isOneLine(producerVersion), "producer_version %s holds a line break (%s)",
                quote(producerVersion), ONE_LINE);
        labels.forEach((key, value) -> {
            checkArgument(!key.isEmpty() && key.indexOf('=') < 0, "labels hold the key %s, empty or with '=' (a label"
                    + " is written key=value)", quote(key));
            checkArgument(isOneLine(key) && isOneLine(value), "labels hold %s=%s, with a line break (%s)", quote(key),
                    quote(value), ONE_LINE);
        });
    }

    /** Why header text is one line: both formats must hold every header, and CSV gives each value a line. */
    private static final String ONE_LINE = "a CSV trace writes each header value as one '# key: value' line";

    private static boolean isOneLine(String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0;
    }

    /**
     * A header with the defaults a Linux guest of the mode would have, its memory unknown (a trace
     * may start mid-run); the rest set with the withers.
     */
    public static TraceHeader defaults(PagingMode mode, int vcpus, long pfnLimit) {
        return new TraceHeader(mode, vcpus, pfnLimit, mode.defaultPageOffset(),
                TraceEvent.NO_ADDRESS, P2m.PERMUTATION, CpuFeatures.LINUX_DEFAULT, AccessMode.IMPLIED,
                InitialMemory.UNKNOWN, "mmutrace", "0", ImmutableMap.of());
    }

    public boolean hasInitMmPgd() {
        return initMmPgd != TraceEvent.NO_ADDRESS;
    }

    public TraceHeader withInitMmPgd(long pgd) {
        return edit(d -> d.initMmPgd = pgd);
    }

    public TraceHeader withAccessMode(AccessMode mode) {
        return edit(d -> d.accessMode = mode);
    }

    public TraceHeader withInitialMemory(InitialMemory memory) {
        return edit(d -> d.initialMemory = memory);
    }

    public TraceHeader withCpuFeatures(CpuFeatures features) {
        return edit(d -> d.cpuFeatures = features);
    }

    public TraceHeader withP2m(P2m table) {
        return edit(d -> d.p2m = table);
    }

    public TraceHeader withProducer(String name, String version) {
        return edit(d -> {
            d.producer = name;
            d.producerVersion = version;
        });
    }

    public TraceHeader withLabels(ImmutableMap<String, String> newLabels) {
        return edit(d -> d.labels = newLabels);
    }

    /** A copy with a change: the one place that lists every component, so a new one is a line here. */
    private TraceHeader edit(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new TraceHeader(d.pagingMode, d.vcpus, d.pfnLimit, d.pageOffset, d.initMmPgd, d.p2m, d.cpuFeatures,
                d.accessMode, d.initialMemory, d.producer, d.producerVersion, d.labels);
    }

    /** The components while some are being changed; never escapes {@link #edit}, which validates the result. */
    private static final class Draft {
        PagingMode pagingMode;
        int vcpus;
        long pfnLimit;
        long pageOffset;
        long initMmPgd;
        P2m p2m;
        CpuFeatures cpuFeatures;
        AccessMode accessMode;
        InitialMemory initialMemory;
        String producer;
        String producerVersion;
        ImmutableMap<String, String> labels;

        Draft(TraceHeader h) {
            pagingMode = h.pagingMode;
            vcpus = h.vcpus;
            pfnLimit = h.pfnLimit;
            pageOffset = h.pageOffset;
            initMmPgd = h.initMmPgd;
            p2m = h.p2m;
            cpuFeatures = h.cpuFeatures;
            accessMode = h.accessMode;
            initialMemory = h.initialMemory;
            producer = h.producer;
            producerVersion = h.producerVersion;
            labels = h.labels;
        }
    }
}
