package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;

/**
 * The timed runs that {@link TimedWork} children printed, one line each: {@code run NAME WALL_NS
 * CPU_NS PROBE_NS} (NAME may hold spaces; the three numbers are the last words), and how many
 * warm-ups each child did before a figure's runs, {@code warmups NAME COUNT}. Gives each name's
 * medians, what the {@link MachineProbe} read before its runs, and its warm-ups' range.
 */
record ChildRuns(ImmutableList<Run> runs, ImmutableList<Warmups> warmups) {
    /** One timed run: wall clock, the timing thread's cpu time, and the probe timed just before. */
    record Run(String name, long wallNanos, long cpuNanos, long probeNanos) {
        Run {
            checkArgument(!name.isBlank() && name.equals(name.strip()), "a run needs a name, got '%s'", name);
            checkArgument(wallNanos > 0 && cpuNanos >= 0 && probeNanos > 0, "times must be positive: %s %s %s",
                    wallNanos, cpuNanos, probeNanos);
        }
    }

    /** How many warm-ups one child did before the runs called {@code name}. */
    record Warmups(String name, int count) {
        Warmups {
            checkArgument(!name.isBlank() && name.equals(name.strip()), "warm-ups need a name, got '%s'", name);
            checkArgument(count >= 0, "warm-ups must be >= 0, got %s", count);
        }
    }

    ChildRuns {
        runs = ImmutableList.copyOf(runs);
        warmups = ImmutableList.copyOf(warmups);
    }

    /** No runs and no warm-ups: what the runs of a figure's children are added to. */
    static ChildRuns none() {
        return new ChildRuns(ImmutableList.of(), ImmutableList.of());
    }

    static String line(Run r) {
        return String.format(Locale.ROOT, "run %s %d %d %d", r.name(), r.wallNanos(), r.cpuNanos(), r.probeNanos());
    }

    static String line(Warmups w) {
        return String.format(Locale.ROOT, "warmups %s %d", w.name(), w.count());
    }

    /**
     * The runs and warm-ups in a child's output, {@code source} naming the child in errors. A line
     * that starts with {@code run } or {@code warmups } must be whole; other lines (a JVM's
     * warning) are left out.
     */
    static ChildRuns parse(String source, List<String> lines) {
        ImmutableList.Builder<Run> runs = ImmutableList.builder();
        ImmutableList.Builder<Warmups> warmups = ImmutableList.builder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("warmups ")) {
                warmups.add(warmups(source, i + 1, line));
                continue;
            }
            if (!line.startsWith("run ")) {
                continue;
            }
            String[] w = line.strip().split(" +");
            if (w.length < 5) {
                throw new IllegalStateException(source + ": line " + (i + 1) + ": a run needs a name and three"
                        + " times: " + line);
            }
            String name = String.join(" ", List.of(w).subList(1, w.length - 3));
            try {
                runs.add(new Run(name, Long.parseLong(w[w.length - 3]), Long.parseLong(w[w.length - 2]),
                        Long.parseLong(w[w.length - 1])));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(source + ": line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new ChildRuns(runs.build(), warmups.build());
    }

    private static Warmups warmups(String source, int lineNumber, String line) {
        String[] w = line.strip().split(" +");
        if (w.length < 3) {
            throw new IllegalStateException(source + ": line " + lineNumber + ": warm-ups need a name and a count: "
                    + line);
        }
        try {
            return new Warmups(String.join(" ", List.of(w).subList(1, w.length - 1)), Integer.parseInt(w[w.length - 1]));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + ": line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    /** These runs and warm-ups and {@code other}'s, in order (those of several children of one figure). */
    ChildRuns and(ChildRuns other) {
        return new ChildRuns(ImmutableList.<Run>builder().addAll(runs).addAll(other.runs).build(),
                ImmutableList.<Warmups>builder().addAll(warmups).addAll(other.warmups).build());
    }

    /**
     * How many warm-ups the children did before the runs called {@code name}: {@code 24} when all
     * did as many, else {@code 24-66}; at least one child must have said.
     */
    String warmupsOf(String name) {
        IntSummaryStatistics counts = warmups.stream().filter(w -> w.name().equals(name))
                .mapToInt(Warmups::count).summaryStatistics();
        if (counts.getCount() == 0) {
            throw new IllegalStateException("the child JVMs printed no warm-ups of " + name);
        }
        return counts.getMin() == counts.getMax() ? Integer.toString(counts.getMin())
                : counts.getMin() + "-" + counts.getMax();
    }

    /** The runs called {@code name}; at least one, or the child did not do what it was asked. */
    List<Run> named(String name) {
        List<Run> named = runs.stream().filter(r -> r.name().equals(name)).toList();
        if (named.isEmpty()) {
            throw new IllegalStateException("the child JVMs printed no run of " + name);
        }
        return named;
    }

    /** The median wall-clock and cpu seconds of the runs called {@code name}. */
    Times medians(String name) {
        List<Run> named = named(name);
        return new Times(Timing.median(named.stream().mapToDouble(r -> r.wallNanos() / 1e9).toArray()),
                Timing.median(named.stream().mapToDouble(r -> r.cpuNanos() / 1e9).toArray()));
    }

    /**
     * What the {@link MachineProbe} read before the runs of {@code names}, those runs called
     * {@code called} (e.g. {@code decode runs}): data for the bench's idle judgement, and a figure.
     */
    MachineProbeReadings machineProbe(String called, List<String> names) {
        List<Long> nanos = runs.stream().filter(r -> names.contains(r.name())).map(Run::probeNanos).toList();
        checkArgument(!nanos.isEmpty(), "no runs of %s", names);
        return new MachineProbeReadings(called, ImmutableList.copyOf(nanos));
    }
}
