package dev.mmutrace.replay.lguest;

import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ModelSetting;
import dev.mmutrace.replay.ReplayContext;
import dev.mmutrace.replay.observe.ObservationSink;
import java.util.List;

/**
 * Makes the {@code lguest} model. Settings: {@code lguest.pgdirs} (cache slots, 4 as in the
 * seed's struct lguest) and {@code lguest.eviction} ({@code random}, the seed's, or {@code lru});
 * the random choice is drawn from a {@link java.util.SplittableRandom} seeded with the options' seed;
 * {@code lguest.cr3_changed} ({@code false}) says the guest switched cr3 before the trace began,
 * so a set_pte before the trace's first write_cr3 already costs a clear-all.
 */
public final class LguestFactory implements ModelFactory {
    public static final String PGDIRS = "lguest.pgdirs";
    public static final String EVICTION = "lguest.eviction";
    /** Whether the guest has switched cr3 before the trace starts (a trace taken mid-run). */
    public static final String CR3_CHANGED = "lguest.cr3_changed";
    static final int SEED_PGDIRS = 4;

    @Override
    public String name() {
        return LguestModel.NAME;
    }

    /** After xen. */
    @Override
    public int reportRank() {
        return 2;
    }

    /** 56-60 ns per event with its analyzer over the bench's trace (docs/performance.md). */
    @Override
    public double costPerEvent() {
        return 58;
    }

    @Override
    public List<ModelSetting> settings() {
        return List.of(
                new ModelSetting(PGDIRS, Integer.toString(SEED_PGDIRS), "slots in the host's pgdirs cache, 1..1024"),
                new ModelSetting(EVICTION, "random", "which slot a pgdir miss takes: random (the seed's) or lru"),
                new ModelSetting(CR3_CHANGED, "false", "the guest switched cr3 before the trace began (taken mid-run)"));
    }

    @Override
    public String description() {
        return "lguest shadow paging (2.6.2x): a host-kept shadow per guest pgdir, filled on faults (docs/models/lguest.md)";
    }

    @Override
    public MemoryModel create(ReplayContext context, ObservationSink sink, ModelOptions options) {
        int slots = slots(options.setting(PGDIRS, Integer.toString(SEED_PGDIRS)));
        Eviction eviction = Eviction.fromSetting(options.setting(EVICTION, "random"));
        boolean cr3Changed = options.flag(CR3_CHANGED, false);
        return new LguestModel(context.header(), context.memory(), sink, slots, eviction, options.seed(), cr3Changed);
    }

    private static int slots(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PGDIRS + " must be a whole number 1..1024, got '" + value + "'");
    }
}
