package dev.mmutrace.bench;

import java.util.Locale;

/**
 * How busy the machine is, read from the kernel at one moment: the 1-minute load average, the
 * cpu time every process has had since boot, and the cpu time this JVM and the child processes
 * it has waited for have had. Two readings give the share of the machine that <em>other</em>
 * processes took in between, which, unlike the load average, does not count the bench's own work.
 */
record MachineLoad(double loadAverage, long busyTicks, long ownTicks, long nanos) {
    /**
     * Other processes' cpu use over a stretch, in cores, above which the stretch is not called idle:
     * a tenth of one core is more than a quiet machine's daemons take, far less than a build.
     */
    static final double IDLE_CORES = 0.1;
    /** The kernel's clock ticks per second of /proc/stat and /proc/self/stat (USER_HZ, 100 on Linux). */
    static final double TICKS_PER_SECOND = 100;

    static MachineLoad now() {
        return of(Machine.read("/proc/loadavg"), Machine.read("/proc/stat"), Machine.read("/proc/self/stat"),
                System.nanoTime());
    }

    /** A reading from the texts of /proc/loadavg, /proc/stat and /proc/self/stat; -1 where one is unreadable. */
    static MachineLoad of(String loadavg, String stat, String self, long nanos) {
        double load = -1;
        long busy = -1;
        long own = -1;
        try {
            load = Double.parseDouble(loadavg.trim().split(" ")[0]);
            // cpu  user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait
            String[] cpu = stat.substring(0, stat.indexOf('\n')).trim().split(" +");
            busy = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(cpu[i]);
                }
            }
            // after "(comm)": fields 14..17 of stat(5) are utime stime cutime cstime
            String[] after = self.substring(self.lastIndexOf(')') + 2).trim().split(" ");
            own = Long.parseLong(after[11]) + Long.parseLong(after[12]) + Long.parseLong(after[13])
                    + Long.parseLong(after[14]);
        } catch (RuntimeException unreadable) {
            // not Linux, or a format not known here: the readings say -1 and the verdict "unknown"
        }
        return new MachineLoad(load, busy, own, nanos);
    }

    /** The cores other processes kept busy on average from {@code this} reading to {@code later}; -1 if unknown. */
    double othersCores(MachineLoad later) {
        if (busyTicks < 0 || later.busyTicks < 0 || ownTicks < 0 || later.ownTicks < 0 || later.nanos <= nanos) {
            return -1;
        }
        double others = (later.busyTicks - busyTicks) - (later.ownTicks - ownTicks);
        return Math.max(0, others / TICKS_PER_SECOND / ((later.nanos - nanos) / 1e9));
    }

    /**
     * The load averages and what other processes took between the two readings, e.g. {@code load
     * average 0.50 before, 1.20 after; other processes kept 0.40 of 2 cores busy} ({@code -1.00} when
     * unknown); whether that is idle is {@link Conditions}' to say, with the host's share beside it.
     */
    String between(MachineLoad later, int cores) {
        return String.format(Locale.ROOT, "load average %.2f before, %.2f after; other processes kept %.2f of %d cores"
                + " busy", loadAverage, later.loadAverage, othersCores(later), cores);
    }

    /** True when other processes kept at most {@link #IDLE_CORES} busy; false also when that is unknown. */
    boolean idleUntil(MachineLoad later) {
        double others = othersCores(later);
        return others >= 0 && others <= IDLE_CORES;
    }
}
