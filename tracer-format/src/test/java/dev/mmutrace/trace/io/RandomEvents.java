package dev.mmutrace.trace.io;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventType;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.SetStack;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.util.SplittableRandom;

/**
 * Seeded random events that a reader must accept for {@code header}: every kind, optional fields
 * absent and present, and a quarter of the numbers drawn from the extremes (0, all ones, the
 * last entry of guest memory, the top of the address space).
 */
final class RandomEvents {
    private final SplittableRandom rnd;
    private final PagingMode mode;
    private final int vcpus;
    private final long memoryBytes;

    RandomEvents(TraceHeader header, long seed) {
        this.rnd = new SplittableRandom(seed);
        this.mode = header.pagingMode();
        this.vcpus = header.vcpus();
        this.memoryBytes = header.pfnLimit() << 12;
    }

    /** The next event; kinds cycle so that every kind shows within 17 calls. */
    TraceEvent next(long index) {
        EventType type = EventType.values()[(int) (index % EventType.values().length)];
        int cpu = extreme() ? vcpus - 1 : rnd.nextInt(vcpus);
        long ts = rnd.nextBoolean() ? TraceEvent.NO_TIMESTAMP : extreme() ? Long.MAX_VALUE : rnd.nextLong(1L << 50);
        switch (type) {
            case SET_PTE:
                return new SetPte(cpu, ts, entryGpa(), value());
            case SET_PTE_AT:
                return new SetPteAt(cpu, ts, topTable(), vaddr(), entryGpa(), value());
            case PTEP_MODIFY_PROT:
                return new PtepModifyProt(cpu, ts, topTable(), vaddr(), entryGpa(), value());
            case SET_PMD:
                return new SetPmd(cpu, ts, entryGpa(), value());
            case SET_PUD:
                return new SetPud(cpu, ts, entryGpa(), value());
            case SET_PGD:
                return new SetPgd(cpu, ts, entryGpa(), value(),
                        mode == PagingMode.FOUR_LEVEL && rnd.nextBoolean() ? entryGpa() : TraceEvent.NO_ADDRESS);
            case WRITE_CR3:
                return new WriteCr3(cpu, ts, topTable(), mode == PagingMode.FOUR_LEVEL && rnd.nextBoolean()
                        ? WriteCr3.Root.USER : WriteCr3.Root.KERNEL);
            case PAGE_FAULT:
                return new PageFault(cpu, ts, vaddr(), extreme() ? 0xffff : rnd.nextInt(0x20), vaddr());
            case PIN:
                return new Pin(cpu, ts, topTable(), level());
            case UNPIN:
                return new Unpin(cpu, ts, topTable(), level());
            case ALLOC_PT:
                return new AllocPt(cpu, ts, pfn(), level(), rnd.nextBoolean());
            case RELEASE_PT:
                return new ReleasePt(cpu, ts, pfn(), level(), rnd.nextBoolean());
            case FLUSH_TLB:
                return flush(cpu, ts);
            case LAZY_MMU:
                return new LazyMmu(cpu, ts, rnd.nextBoolean() ? LazyMmu.Phase.ENTER : LazyMmu.Phase.LEAVE);
            case SET_STACK:
                return new SetStack(cpu, ts, vaddr(), extreme() ? 64 : 1 + rnd.nextInt(64));
            case ACCESS:
                return new Access(cpu, ts, vaddr(), Access.Kind.values()[rnd.nextInt(3)], rnd.nextBoolean());
            case GAP:
                // unknown size, the largest count, or any count
                return rnd.nextInt(3) == 0 ? Gap.ofUnknownSize(cpu, ts)
                        : Gap.of(cpu, ts, extreme() ? Long.MAX_VALUE : 1 + rnd.nextLong(1L << 40));
            default:
                throw new AssertionError(type);
        }
    }

    private FlushTlb flush(int cpu, long ts) {
        switch (rnd.nextInt(4)) {
            case 0:
                return FlushTlb.user(cpu, ts);
            case 1:
                return FlushTlb.all(cpu, ts);
            case 2:
                return FlushTlb.one(cpu, ts, pageVaddr());
            default:
                long cpus = vcpus == 64 ? (extreme() ? -1L : rnd.nextLong()) : rnd.nextLong(1L << vcpus);
                long start = rnd.nextBoolean() ? TraceEvent.NO_ADDRESS : pageVaddr();
                long end = start != TraceEvent.NO_ADDRESS && rnd.nextBoolean() ? start + 0x1000 : TraceEvent.NO_ADDRESS;
                return new FlushTlb(cpu, ts, FlushTlb.Scope.MULTI, start, end, cpus, rnd.nextInt(vcpus + 1),
                        rnd.nextBoolean() ? topTable() : TraceEvent.NO_ADDRESS);
        }
    }

    private boolean extreme() {
        return rnd.nextInt(4) == 0;
    }

    private long entryGpa() {
        if (extreme()) {
            return rnd.nextBoolean() ? 0 : memoryBytes - mode.entryBytes();
        }
        return rnd.nextLong(memoryBytes) & -mode.entryBytes();
    }

    private long value() {
        long v = extreme() ? (rnd.nextBoolean() ? 0 : -1L) : rnd.nextLong();
        return mode == PagingMode.TWO_LEVEL ? v & 0xffff_ffffL : v;
    }

    private long topTable() {
        long align = mode == PagingMode.PAE ? 32 : 4096;
        long limit = mode == PagingMode.FOUR_LEVEL ? memoryBytes : Math.min(memoryBytes, 1L << 32);
        return extreme() ? limit - align : rnd.nextLong(limit) & -align;
    }

    private long vaddr() {
        if (mode != PagingMode.FOUR_LEVEL) {
            return extreme() ? 0xffff_ffffL : rnd.nextLong(1L << 32);
        }
        if (extreme()) {
            return rnd.nextBoolean() ? -1L : 0x7fff_ffff_ffffL;
        }
        return (rnd.nextLong() << 16) >> 16; // sign-extend bit 47: canonical
    }

    /** A page-aligned vaddr below the top page, so a one-page range after it stays in range. */
    private long pageVaddr() {
        long v = vaddr() & ~0xfffL;
        return v == (mode == PagingMode.FOUR_LEVEL ? 0xffff_ffff_ffff_f000L : 0xffff_f000L) ? 0 : v;
    }

    private int level() {
        return 1 + rnd.nextInt(mode.levels());
    }

    private long pfn() {
        long limit = mode == PagingMode.TWO_LEVEL ? 1L << 20 : 1L << 40;
        return extreme() ? limit - 1 : rnd.nextLong(limit);
    }
}
