package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The machine's description parsed from texts shaped as the kernel writes them. */
class MachineTest {

    @Test
    void cpuNamesTheModelTheLogicalCpusAndTheSpeedFlagsPresentAndAbsent() {
        String cpuinfo = """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC
                flags\t\t: fpu sse4_2 popcnt avx hypervisor avx2 bmi2
                
                processor\t: 1
                model name\t: AMD EPYC
                flags\t\t: fpu sse4_2 popcnt avx hypervisor avx2 bmi2
                """;
        // two "processor" entries; of SPEED_FLAGS the first entry has sse4_2 avx avx2 bmi2 popcnt
        // hypervisor, in SPEED_FLAGS' order, and lacks avx512f avx512bw erms fsrm
        assertThat(Machine.cpu(cpuinfo)).isEqualTo("AMD EPYC, 2 logical cpus, flags sse4_2 avx avx2 bmi2 popcnt"
                + " hypervisor; not: avx512f avx512bw erms fsrm");
    }

    @Test
    void memoryIsMebibytesOfTheKibibytesMeminfoGives() {
        // 24683784 kB >> 10 = 24105 MiB; 18820948 kB >> 10 = 18379 MiB
        String meminfo = "MemTotal:       24683784 kB\nMemFree:        15069092 kB\nMemAvailable:   18820948 kB\n";
        assertThat(Machine.memory(meminfo)).isEqualTo("24,105 MiB total, 18,379 MiB available");
    }

    @Test
    void osIsThePrettyName() {
        assertThat(Machine.osName("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"))
                .isEqualTo("Debian GNU/Linux 12 (bookworm)");
    }
}
