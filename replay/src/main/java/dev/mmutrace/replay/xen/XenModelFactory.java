package dev.mmutrace.replay.xen;

import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ModelSetting;
import dev.mmutrace.replay.ReplayContext;
import dev.mmutrace.replay.observe.ObservationSink;
import java.util.List;

/**
 * Makes the {@code xen} model. Settings: {@code xen.io_rights} (the domain may set cache
 * attributes PWT/PCD/PAT in L1 entries, as a driver domain can; default false) and
 * {@code xen.allowhugepage} (Xen booted with allowhugepage, so aligned L2 superpages pass;
 * default false).
 */
public final class XenModelFactory implements ModelFactory {
    public static final String NAME = "xen";
    static final String IO_RIGHTS = "xen.io_rights";
    static final String ALLOW_HUGEPAGE = "xen.allowhugepage";

    @Override
    public String name() {
        return NAME;
    }

    /** After the baseline. */
    @Override
    public int reportRank() {
        return 1;
    }

    /** 91-96 ns per event with its analyzer over the bench's trace (docs/performance.md). */
    @Override
    public double costPerEvent() {
        return 93;
    }

    @Override
    public List<ModelSetting> settings() {
        return List.of(
                new ModelSetting(IO_RIGHTS, "false", "the domain has I/O rights: PAT, PCD and PWT allowed in L1 entries"),
                new ModelSetting(ALLOW_HUGEPAGE, "false", "Xen booted with allowhugepage: aligned L2 superpages pass"));
    }

    @Override
    public String description() {
        return "Xen 3.4 PV direct paging under a 2.6.2x guest: typed, pinned, validated page tables (docs/models/xen.md)";
    }

    @Override
    public MemoryModel create(ReplayContext context, ObservationSink sink, ModelOptions options) {
        if (context.header().pfnLimit() > Integer.MAX_VALUE) {
            // Per-frame state lives in arrays indexed by pfn.
            throw new IllegalArgumentException("the xen model handles guests of at most 2^31 frames, got pfn_limit "
                    + context.header().pfnLimit());
        }
        boolean ioRights = options.flag(IO_RIGHTS, false);
        boolean hugepage = options.flag(ALLOW_HUGEPAGE, false);
        return new XenModel(context, sink, ioRights, hugepage);
    }
}
