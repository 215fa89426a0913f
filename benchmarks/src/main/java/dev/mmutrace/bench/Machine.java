package dev.mmutrace.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The machine a bench run ran on, as the machine itself reports it (/proc/cpuinfo, /proc/meminfo,
 * the kernel's release, /etc/os-release, the running JVM), never from what someone remembers of
 * it. A file that cannot be read is said so in its line.
 */
final class Machine {
    /**
     * The cpuinfo flags that bear on how fast this code can run: vector widths a JIT may use, the
     * byte-scan and bit instructions, fast string moves, and whether the cpu is a virtual one.
     */
    static final List<String> SPEED_FLAGS = List.of("sse4_2", "avx", "avx2", "avx512f", "avx512bw", "bmi2", "popcnt",
            "erms", "fsrm", "hypervisor");

    private Machine() {
    }

    /** The lines describing this machine and JVM, for the top of a bench run. */
    static List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("cpu: " + cpu(read("/proc/cpuinfo")));
        lines.add("memory: " + memory(read("/proc/meminfo")));
        lines.add("os: " + osName(read("/etc/os-release")) + ", kernel " + read("/proc/sys/kernel/osrelease").trim());
        List<String> gcs = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.add(gc.getName());
        }
        lines.add(String.format(Locale.ROOT, "jvm: %s %s (%s), %d cpus available, max heap %,d MiB, GC %s",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, String.join(" + ", gcs)));
        return lines;
    }

    /** "MODEL, N logical cpus (cpuinfo), flags: ..." from the text of /proc/cpuinfo. */
    static String cpu(String cpuinfo) {
        String model = "model name not reported";
        int processors = 0;
        Set<String> flags = new LinkedHashSet<>();
        boolean flagsRead = false;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("processor")) {
                processors++;
            } else if (key.equals("model name") && processors <= 1) {
                model = value;
            } else if (key.equals("flags") && !flagsRead) {
                flagsRead = true;
                Set<String> has = Set.of(value.split(" "));
                for (String f : SPEED_FLAGS) {
                    if (has.contains(f)) {
                        flags.add(f);
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>(SPEED_FLAGS);
        missing.removeAll(flags);
        return model + ", " + processors + " logical cpus, flags " + (flags.isEmpty() ? "(none of these)"
                : String.join(" ", flags)) + (missing.isEmpty() || !flagsRead ? "" : "; not: " + String.join(" ", missing));
    }

    /** "N MiB total, M MiB available" from the text of /proc/meminfo. */
    static String memory(String meminfo) {
        return String.format(Locale.ROOT, "%,d MiB total, %,d MiB available", kib(meminfo, "MemTotal") >> 10,
                kib(meminfo, "MemAvailable") >> 10);
    }

    private static long kib(String meminfo, String key) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
            }
        }
        return 0;
    }

    /** PRETTY_NAME from the text of /etc/os-release. */
    static String osName(String osRelease) {
        for (String line : osRelease.split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return "os not reported";
    }

    /** A file's text, or a line saying it could not be read. */
    static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + file + " not readable: " + e.getMessage() + ")";
        }
    }
}
