package dev.mmutrace.replay.xen;

import static dev.mmutrace.replay.xen.XenTrace.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.PinChange;
import dev.mmutrace.replay.observe.ValidationFailure;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole synthetic workloads of a well-behaved Linux guest (boot, init_mm built and pinned, fork,
 * exec, exit) through the xen model. A correct 2.6.2x guest never makes Xen refuse anything (each
 * refusal would be its BUG_ON), so any validation failure here is the port or the hypervisor
 * rules going wrong, not the guest.
 *
 * <p>pae is left out on purpose: the generator shares init_mm's kernel pmd between every pgd,
 * which a Xen PAE guest never did (SHARED_KERNEL_PMD is 0 under Xen; 2.6.27 pins and unpins the
 * per-pgd kernel pmd explicitly), so unpinning a process there really would BUG.
 */
class XenWorkloadTest {

    @ParameterizedTest
    @CsvSource({"FORK_EXEC_EXIT, FOUR_LEVEL", "FORK_EXEC_EXIT, TWO_LEVEL", "CTXSWITCH_STORM, FOUR_LEVEL",
        "MMAP_MUNMAP, FOUR_LEVEL", "MIXED, FOUR_LEVEL", "KMAP_CHURN, TWO_LEVEL"})
    void aWellBehavedGuestIsNeverRefused(Workload workload, PagingMode mode) {
        WorkloadGenerator g = new WorkloadGenerator(new GeneratorSettings(workload, 1, GeneratorSettings.NATURAL, mode, 2));
        List<Observation> obs = new ArrayList<>();
        new ReplayEngine(g.header(), List.of(new XenModelFactory()), ModelOptions.DEFAULTS, (m, o) -> obs.add(o))
                .run(g);
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
        // init_mm and every process were pinned: the replay did real work.
        assertThat(only(obs, PinChange.class, PinChange::pinned)).isNotEmpty();
    }
}
