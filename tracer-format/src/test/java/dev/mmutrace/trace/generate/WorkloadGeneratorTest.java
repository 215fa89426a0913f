package dev.mmutrace.trace.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.EventValidator;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.InitialMemory;
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
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The properties docs/workloads.md promises of each workload. */
class WorkloadGeneratorTest {

    private static List<TraceEvent> generate(Workload w, PagingMode mode, int vcpus, long seed, long events) {
        WorkloadGenerator g = new WorkloadGenerator(new GeneratorSettings(w, seed, events, mode, vcpus));
        // every event passes the checks every trace reader makes (vCPU, alignment, memory, canonical vaddrs)
        EventValidator validator = new EventValidator(g.header());
        List<TraceEvent> out = new ArrayList<>();
        g.forEachRemaining(e -> {
            validator.check(e, "generated", TraceInputException.Unit.RECORD, out.size() + 1);
            out.add(e);
        });
        return out;
    }

    private static List<TraceEvent> natural(Workload w, PagingMode mode) {
        return generate(w, mode, 2, 7, GeneratorSettings.NATURAL);
    }

    private static PagingMode[] modesFor(Workload w) {
        return w == Workload.KMAP_CHURN ? new PagingMode[] {PagingMode.TWO_LEVEL, PagingMode.PAE}
                : PagingMode.values();
    }

    /**
     * Replays the events against the table structure they declare and checks it is consistent:
     * every non-top table is announced by alloc_pt with its level and released at that level;
     * each entry store lands in a frame that is a table of the store's level (set_pte* in an L1,
     * set_pmd in an L2 or the 2-level top, set_pud in an L3 or the PAE top, set_pgd in the
     * 4-level top); a present upper entry points at a table one level down; a top is pinned
     * before it is loaded; a pin or unpin is of a top in the right state.
     * Returns the L1 entries (leaf values) that break the data rules: a pfn beyond memory or a
     * page-table frame mapped into user space.
     */
    private static List<String> checkTables(List<TraceEvent> events, PagingMode mode) {
        int top = mode.levels();
        Map<Long, Integer> levelOf = new HashMap<>();
        // slots holding a non-zero value, by frame: a frame becomes a lower table only when empty,
        // but for a PAE kernel pmd copy, reused as one, whose leftovers are init_mm's own hooks
        Map<Long, Map<Long, Long>> written = new HashMap<>();
        Set<Long> kernelTables = new HashSet<>();
        boolean booted = false;
        Set<Long> pinned = new HashSet<>();
        List<String> leafProblems = new ArrayList<>();
        for (TraceEvent e : events) {
            long slot = -1;
            long value = 0;
            int level = 0;
            if (e instanceof SetPte s) {
                slot = s.entryGpa();
                value = s.value();
                level = 1;
            } else if (e instanceof SetPteAt s) {
                slot = s.entryGpa();
                value = s.value();
                level = 1;
                assertThat(s.mm() >>> 12).as("set_pte_at's mm is a top table").isNotIn(levelOf.keySet());
            } else if (e instanceof PtepModifyProt s) {
                slot = s.entryGpa();
                value = s.value();
                level = 1;
            } else if (e instanceof SetPmd s) {
                slot = s.entryGpa();
                value = s.value();
                level = 2;
            } else if (e instanceof SetPud s) {
                slot = s.entryGpa();
                value = s.value();
                level = 3;
            } else if (e instanceof SetPgd s) {
                slot = s.entryGpa();
                value = s.value();
                level = 4;
                if (s.hasUserEntry()) {
                    assertThat(s.userEntryGpa() & 0xfff).isEqualTo(slot & 0xfff);
                    assertThat(s.userEntryGpa() >>> 12).isBetween(Layout.KERNEL_IMAGE, Layout.TOPS - 1);
                }
            } else if (e instanceof AllocPt a) {
                assertThat(levelOf).as("alloc_pt of a frame that already is a table: %s", e).doesNotContainKey(a.pfn());
                Map<Long, Long> left = written.getOrDefault(a.pfn(), Map.of());
                boolean kernelCopy = mode == PagingMode.PAE && a.level() == 2
                        && left.values().stream().allMatch(v -> kernelTables.contains(Layout.pfnOf(v)));
                assertThat(kernelCopy || left.isEmpty()).as("alloc_pt of a frame with entries left: %s %s", e, left)
                        .isTrue();
                if (!booted) {
                    kernelTables.add(a.pfn());
                }
                assertThat(a.level()).isBetween(1, top - 1);
                levelOf.put(a.pfn(), a.level());
            } else if (e instanceof ReleasePt r) {
                assertThat(levelOf.remove(r.pfn())).as("release_pt at its level: %s", e).isEqualTo(r.level());
            } else if (e instanceof Pin p) {
                assertThat(p.level()).isEqualTo(top);
                assertThat(pinned.add(p.tableGpa())).as("pin of an unpinned top: %s", e).isTrue();
            } else if (e instanceof Unpin u) {
                assertThat(pinned.remove(u.tableGpa())).as("unpin of a pinned top: %s", e).isTrue();
            } else if (e instanceof WriteCr3 w && w.root() == WriteCr3.Root.KERNEL) {
                booted = true;
                assertThat(pinned).as("cr3 loads a pinned top: %s", e).contains(w.pgd());
            }
            if (level == 0) {
                continue;
            }
            assertThat(level).isLessThanOrEqualTo(top);
            assertThat(slot % mode.entryBytes()).isZero();
            long frame = slot >>> 12;
            if (value == 0) {
                written.getOrDefault(frame, new HashMap<>()).remove(slot);
            } else {
                written.computeIfAbsent(frame, f -> new HashMap<>()).put(slot, value);
            }
            if (level == top) {
                assertThat(levelOf).as("top-level store into a lower table: %s", e).doesNotContainKey(frame);
                assertThat(frame).as("top tables come from the top pool: %s", e)
                        .isBetween(Layout.KERNEL_IMAGE, Layout.TOPS - 1);
            } else {
                assertThat(levelOf.get(frame)).as("store of level %d into frame %x: %s", level, frame, e)
                        .isEqualTo(level);
            }
            if ((value & EntryBits.PRESENT) == 0) {
                continue;
            }
            long pfn = Layout.pfnOf(value);
            if (level > 1) {
                assertThat(levelOf.get(pfn)).as("hook points at a table one level down: %s", e).isEqualTo(level - 1);
                if (mode == PagingMode.PAE && level == 3) {
                    assertThat(value & 0xfff).as("PDPT entries carry only P").isEqualTo(EntryBits.PRESENT);
                }
            } else if (pfn >= Layout.PFN_LIMIT) {
                leafProblems.add("beyond memory: pfn " + Long.toHexString(pfn) + ": " + e);
            } else if ((value & EntryBits.USER) != 0
                    && (levelOf.containsKey(pfn) || (pfn >= Layout.KERNEL_IMAGE && pfn < Layout.TOPS))) {
                // the kernel's direct map covers every table frame; a user mapping never may
                leafProblems.add("table mapped: pfn " + Long.toHexString(pfn) + ": " + e);
            }
        }
        return leafProblems;
    }

    @ParameterizedTest
    @EnumSource(value = Workload.class, names = "BUGGY_GUEST", mode = EnumSource.Mode.EXCLUDE)
    void wellBehavedWorkloadsKeepConsistentTablesInEveryMode(Workload w) {
        for (PagingMode mode : modesFor(w)) {
            List<TraceEvent> events = natural(w, mode);
            assertThat(events).as("%s %s", w, mode).isNotEmpty();
            assertThat(checkTables(events, mode)).as("%s %s", w, mode).isEmpty();
        }
    }

    @Test
    void buggyGuestHasExactlyItsThreeBugs() {
        for (PagingMode mode : PagingMode.values()) {
            List<TraceEvent> events = natural(Workload.BUGGY_GUEST, mode);
            // one leaf maps the heap's L1 table, one names pfn_limit + 0x100; nothing else is wrong
            List<String> problems = checkTables(events, mode);
            assertThat(problems).as("%s", mode).hasSize(2);
            assertThat(problems.get(0)).startsWith("table mapped");
            assertThat(problems.get(1)).startsWith("beyond memory")
                    .startsWith("beyond memory: pfn " + Long.toHexString(BuggyGuestScript.BEYOND_MEMORY) + ":");
            // the missing flush: a user PTE cleared, then its frame becomes an L1 table, with no
            // flush of any kind on the way
            SetPteAt cleared = null;
            boolean retypedWithoutFlush = false;
            Map<Long, Long> frameOfSlot = new HashMap<>();
            for (TraceEvent e : events) {
                if (e instanceof SetPteAt s) {
                    if (s.value() == 0 && frameOfSlot.containsKey(s.entryGpa()) && cleared == null
                            && s.vaddr() == new Layout(mode).userMmap() + new Layout(mode).span(1)) {
                        cleared = s;
                    } else {
                        frameOfSlot.put(s.entryGpa(), Layout.pfnOf(s.value()));
                    }
                } else if (cleared != null && e instanceof FlushTlb) {
                    break;
                } else if (cleared != null && e instanceof AllocPt a) {
                    retypedWithoutFlush = a.pfn() == frameOfSlot.get(cleared.entryGpa()) && a.level() == 1;
                    break;
                }
            }
            assertThat(cleared).as("%s: the unmapped page", mode).isNotNull();
            assertThat(retypedWithoutFlush).as("%s: its frame reused as an L1 before any flush", mode).isTrue();
        }
    }

    @Test
    void contextSwitchStormLoadsMoreAddressSpacesThanLguestCaches() {
        for (PagingMode mode : PagingMode.values()) {
            List<TraceEvent> events = natural(Workload.CTXSWITCH_STORM, mode);
            Set<Long> cr3s = new HashSet<>();
            long switches = 0;
            for (TraceEvent e : events) {
                if (e instanceof WriteCr3 w && w.root() == WriteCr3.Root.KERNEL) {
                    cr3s.add(w.pgd());
                    switches++;
                }
            }
            // 8 processes plus init_mm, each loaded many times over: lguest holds 4 pgdirs
            assertThat(cr3s).as("%s", mode).hasSizeGreaterThan(4).hasSize(9);
            assertThat(switches).isGreaterThan(48);
        }
    }

    @Test
    void forkExecExitPinsEveryMmBeforeUseAndUnpinsItAtExit() {
        List<TraceEvent> events = natural(Workload.FORK_EXEC_EXIT, PagingMode.FOUR_LEVEL);
        long pins = events.stream().filter(e -> e instanceof Pin).count();
        long unpins = events.stream().filter(e -> e instanceof Unpin).count();
        // init_mm + the shell + per round (6): the forked child and the exec'd program are pinned,
        // both are unpinned (the child at exec, the program at exit)
        assertThat(pins).isEqualTo(2 + 6 * 2);
        assertThat(unpins).isEqualTo(6 * 2);
        assertThat(events).anyMatch(e -> e instanceof PageFault);
        assertThat(events).anyMatch(e -> e instanceof SetPteAt);
        assertThat(events).anyMatch(e -> e instanceof ReleasePt);
        // flush_tlb_mm of the parent after each fork
        assertThat(events.stream().filter(e -> e instanceof FlushTlb f && f.scope() == FlushTlb.Scope.USER).count())
                .isEqualTo(6);
    }

    @Test
    void mmapMunmapFlushesAsLinuxDoes() {
        List<TraceEvent> events = natural(Workload.MMAP_MUNMAP, PagingMode.FOUR_LEVEL);
        // rounds 0..5: 4,4,40,4,4,40 pages; mprotect in rounds 1,3,5. Each munmap or mprotect of
        // 4 pages flushes 4 single pages, of 40 pages the whole user space.
        // munmaps: 4 rounds x 4 = 16 invlpg, 2 full; mprotects: rounds 1,3 (4 pages) 8 invlpg, round 5 full
        long ones = events.stream().filter(e -> e instanceof FlushTlb f && f.scope() == FlushTlb.Scope.ONE).count();
        long fulls = events.stream().filter(e -> e instanceof FlushTlb f && f.scope() == FlushTlb.Scope.USER).count();
        long multis = events.stream().filter(e -> e instanceof FlushTlb f && f.scope() == FlushTlb.Scope.MULTI).count();
        assertThat(ones).isEqualTo(16 + 8);
        assertThat(fulls).isEqualTo(2 + 1);
        // the second thread on vCPU 1 gets one multi flush per range flush: 6 munmaps + 3 mprotects
        assertThat(multis).isEqualTo(9);
        assertThat(events.stream().filter(e -> e instanceof PtepModifyProt).count()).isEqualTo(4 + 4 + 40);
    }

    @Test
    void kmapChurnUsesPlainSetPteAndFlushesOnePage() {
        List<TraceEvent> events = natural(Workload.KMAP_CHURN, PagingMode.PAE);
        // 64 rounds; rounds 15, 31, 47, 63 are pkmap rounds, the other 60 are kmap_atomic ones,
        // each a set_pte (no vaddr) and a flush of one page
        assertThat(events.stream().filter(e -> e instanceof FlushTlb f && f.scope() == FlushTlb.Scope.ONE).count())
                .isEqualTo(60);
        assertThat(events.stream().filter(e -> e instanceof SetPte).count()).isEqualTo(60);
        // each pkmap round flushes globally on both vCPUs
        assertThat(events.stream().filter(e -> e instanceof FlushTlb f && f.scope() == FlushTlb.Scope.ALL).count())
                .isEqualTo(4 * 2);
        assertThatThrownBy(() -> new GeneratorSettings(Workload.KMAP_CHURN, 1, 0, PagingMode.FOUR_LEVEL, 1))
                .hasMessageContaining("32-bit");
    }

    @Test
    void bootBuildsKernelTablesAndLoadsInitMmEverywhere() {
        WorkloadGenerator g = new WorkloadGenerator(new GeneratorSettings(Workload.BOOT, 1, 0, PagingMode.FOUR_LEVEL, 3));
        List<TraceEvent> events = new ArrayList<>();
        g.forEachRemaining(events::add);
        long initMm = g.header().initMmPgd();
        assertThat(initMm).isEqualTo(Layout.KERNEL_IMAGE << 12);
        // the trace starts at boot, so it starts from empty memory (SPEC §2.2)
        assertThat(g.header().initialMemory()).isEqualTo(InitialMemory.EMPTY);
        // 4level: the vmalloc area's L3, L2 and L1, hooked in; then 4 vmalloc rounds of 4 pages
        // mapped and cleared with set_pte_at on init_mm, and a global flush on each of 3 vCPUs
        assertThat(events).filteredOn(e -> e instanceof AllocPt).hasSize(3);
        assertThat(events).filteredOn(e -> e instanceof SetPteAt s && s.mm() == initMm).hasSize(4 * 8);
        assertThat(events).filteredOn(e -> e instanceof FlushTlb f && f.scope() == FlushTlb.Scope.ALL)
                .hasSize(4 * 3);
        // the kernel's tables are built before init_mm is pinned, then it is pinned once
        assertThat(events).filteredOn(e -> e instanceof AllocPt).noneMatch(e -> ((AllocPt) e).pinned());
        assertThat(events).filteredOn(e -> e instanceof Pin).singleElement()
                .matches(e -> ((Pin) e).tableGpa() == initMm && ((Pin) e).level() == 4);
        assertThat(events.stream().filter(e -> e instanceof WriteCr3 w && w.pgd() == initMm).map(TraceEvent::cpu)
                .distinct().count()).isEqualTo(3);
    }

    @Test
    void sameSeedSameTraceOtherSeedOtherTrace() {
        assertThat(generate(Workload.MIXED, PagingMode.PAE, 3, 42, 5000))
                .isEqualTo(generate(Workload.MIXED, PagingMode.PAE, 3, 42, 5000))
                .isNotEqualTo(generate(Workload.MIXED, PagingMode.PAE, 3, 43, 5000));
    }

    @Test
    void eventsCutOrLoopTheWorkloadToExactlyTheCountAsked() {
        assertThat(generate(Workload.BUGGY_GUEST, PagingMode.FOUR_LEVEL, 1, 1, 10)).hasSize(10);
        // far beyond the natural length: the workload loops and its state stays bounded
        WorkloadGenerator g = new WorkloadGenerator(
                new GeneratorSettings(Workload.MIXED, 1, 300_000, PagingMode.FOUR_LEVEL, 4));
        long n = 0;
        while (g.hasNext()) {
            g.next();
            n++;
        }
        assertThat(n).isEqualTo(300_000);
    }

    @Test
    void buggyGuestLoopsPastTheSizeOfItsDataPool() {
        // Each buggy round turns one data frame into an L1 table (the missing-flush bug) and frees
        // that table at exit. The data pool is [TABLES, HIGHMEM) = 0x7fc0 - 0x200 = 32,192 frames,
        // so if the freed table did not go back to the data pool, 32,193 rounds would exhaust it.
        long roundEvents = natural(Workload.BUGGY_GUEST, PagingMode.TWO_LEVEL).size();
        long rounds = (Layout.HIGHMEM - Layout.TABLES) + 1_000;
        WorkloadGenerator g = new WorkloadGenerator(
                new GeneratorSettings(Workload.BUGGY_GUEST, 7, rounds * roundEvents, PagingMode.TWO_LEVEL, 2));
        long n = 0;
        while (g.hasNext()) {
            g.next();
            n++;
        }
        assertThat(n).isEqualTo(rounds * roundEvents);
    }

    @Test
    void loopedWorkloadsStayConsistent() {
        for (Workload w : Workload.values()) {
            PagingMode mode = modesFor(w)[modesFor(w).length - 1];
            List<TraceEvent> events = generate(w, mode, 3, 5, 30_000);
            List<String> problems = checkTables(events, mode);
            if (w != Workload.BUGGY_GUEST) {
                assertThat(problems).as("%s", w).isEmpty();
            }
        }
    }
}
