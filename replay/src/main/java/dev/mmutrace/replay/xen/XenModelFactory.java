package dev.mmutrace.replay.xen;

import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ReplayContext;
import dev.mmutrace.replay.observe.ObservationSink;

/**
 * Makes the {@code xen} model. Settings: {@code xen.io_rights} (the domain may set cache
 * attributes PWT/PCD/PAT in L1 entries, as a driver domain can; default false) and
 * {@code xen.allowhugepage} (Xen booted with allowhugepage, so aligned L2 superpages pass;
 * default false).
 */
public final class XenModelFactory implements ModelFactory {
    public static final String NAME = "xen";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MemoryModel create(ReplayContext context, ObservationSink sink, ModelOptions options) {
        if (context.header().pfnLimit() > Integer.MAX_VALUE) {
            // Per-frame state lives in arrays indexed by pfn.
            throw new IllegalArgumentException("the xen model handles guests of at most 2^31 frames, got pfn_limit "
                    + context.header().pfnLimit());
        }
        boolean ioRights = Boolean.parseBoolean(options.setting("xen.io_rights", "false"));
        boolean hugepage = Boolean.parseBoolean(options.setting("xen.allowhugepage", "false"));
        return new XenModel(context, sink, ioRights, hugepage);
    }
}
