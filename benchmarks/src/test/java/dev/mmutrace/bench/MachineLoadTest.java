package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What other processes took between two readings, from texts shaped as the kernel writes them. */
class MachineLoadTest {
    private static final String SELF_BEFORE = "7913 (java (bench)) R 7908 7908 30293 0 -1 4194304 98 0 0 0 "
            + "100 20 30 10 20 0 1 0";
    private static final String SELF_AFTER = "7913 (java (bench)) R 7908 7908 30293 0 -1 4194304 98 0 0 0 "
            + "250 30 60 20 20 0 1 0";

    private static MachineLoad reading(String load, String cpuLine, String self, double seconds) {
        return MachineLoad.of(load + " 1.00 1.00 2/300 999\n", cpuLine + "\ncpu0 1 2 3\n", self, (long) (seconds * 1e9));
    }

    @Test
    void othersAreTheMachinesBusyTicksLessThisProcessAndItsChildren() {
        // busy = user+nice+system+irq+softirq+steal (not idle 4th, iowait 5th):
        // before 1000+0+200+0+0+0 = 1200, after 1500+0+300+0+0+0 = 1800: 600 ticks;
        // own (utime+stime+cutime+cstime) before 100+20+30+10 = 160, after 250+30+60+20 = 360: 200;
        // others 400 ticks = 4 s of cpu over 10 s = 0.4 cores
        MachineLoad before = reading("0.50", "cpu  1000 0 200 5000 7 0 0 0 0 0", SELF_BEFORE, 0);
        MachineLoad after = reading("1.20", "cpu  1500 0 300 5900 9 0 0 0 0 0", SELF_AFTER, 10);
        assertThat(before.othersCores(after)).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(before.idleUntil(after)).isFalse();
        assertThat(before.between(after, 2)).isEqualTo("load average 0.50 before, 1.20 after; other processes kept"
                + " 0.40 of 2 cores busy");
    }

    @Test
    void aMachineWhereOnlyThisProcessRanIsIdle() {
        // busy grew by 200 ticks, all of them this process's own (160 -> 360)
        MachineLoad before = reading("0.05", "cpu  1000 0 200 5000 7 0 0 0 0 0", SELF_BEFORE, 0);
        MachineLoad after = reading("0.90", "cpu  1150 0 250 5900 9 0 0 0 0 0", SELF_AFTER, 10);
        assertThat(before.othersCores(after)).isEqualTo(0.0);
        assertThat(before.idleUntil(after)).isTrue();
    }

    @Test
    void unreadableProcFilesLeaveIdlenessUnknown() {
        MachineLoad before = MachineLoad.of("(not readable)", "(not readable)", "(not readable)", 0);
        assertThat(before.othersCores(before)).isEqualTo(-1.0);
        assertThat(before.idleUntil(before)).isFalse();
        assertThat(before.between(before, 2)).endsWith("kept -1.00 of 2 cores busy");
    }
}
