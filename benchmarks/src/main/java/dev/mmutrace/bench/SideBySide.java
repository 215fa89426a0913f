package dev.mmutrace.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs child commands side by side: round after round, each command once per round, the first of
 * a round moving on by one each time, so that every command sees the same machine and the same
 * page cache; then the median of the timed rounds. Each child runs under {@code sh}, whose
 * {@code times} reports the cpu time the command took (user + system), the steadier figure when
 * other work shares the machine. A child's standard output and error go to files in the scratch
 * directory; a child that fails stops the bench with its error's first line.
 */
final class SideBySide {
    private static final String SCRIPT = "\"$@\" >\"$BENCH_OUT\" 2>\"$BENCH_ERR\"; s=$?; times; exit $s";
    private static final Pattern TIME = Pattern.compile("(\\d+)m([\\d.]+)s");

    private SideBySide() {
    }

    /** Each command's median times, by name, in the order given. */
    static Map<String, Times> run(List<Child> commands, Timing timing, Path scratch) {
        int n = commands.size();
        List<List<double[]>> runs = new ArrayList<>();
        commands.forEach(c -> runs.add(new ArrayList<>()));
        for (int round = 0; round < timing.warmups() + timing.runs(); round++) {
            for (int k = 0; k < n; k++) {
                int c = (round + k) % n;
                double[] t = once(commands.get(c), scratch);
                if (round >= timing.warmups()) {
                    runs.get(c).add(t);
                }
            }
        }
        Map<String, Times> medians = new LinkedHashMap<>();
        for (int c = 0; c < n; c++) {
            List<double[]> r = runs.get(c);
            medians.put(commands.get(c).name(), new Times(Timing.median(r.stream().mapToDouble(t -> t[0]).toArray()),
                    Timing.median(r.stream().mapToDouble(t -> t[1]).toArray())));
        }
        return medians;
    }

    /** Where {@link #once} puts the standard output of the child it ran last. */
    static Path output(Path scratch) {
        return scratch.resolve("child.out");
    }

    /** One run: {wall seconds, cpu seconds}. */
    static double[] once(Child child, Path scratch) {
        List<String> words = new ArrayList<>(List.of("sh", "-c", SCRIPT, "sh"));
        words.addAll(child.words());
        ProcessBuilder pb = new ProcessBuilder(words);
        Path out = output(scratch);
        Path err = scratch.resolve("child.err");
        pb.environment().put("BENCH_OUT", out.toString());
        pb.environment().put("BENCH_ERR", err.toString());
        pb.environment().putAll(child.environment());
        pb.redirectErrorStream(true);
        try {
            long t0 = System.nanoTime();
            Process p = pb.start();
            String times = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            double wall = (System.nanoTime() - t0) / 1e9;
            if (code != 0) {
                List<String> lines = Files.exists(err) ? Files.readAllLines(err, StandardCharsets.UTF_8) : List.of();
                throw new IllegalStateException(child.name() + " (" + String.join(" ", child.words()) + ") exited with "
                        + code + (lines.isEmpty() ? "" : ": " + lines.get(0)));
            }
            return new double[] {wall, childrenCpu(times)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + child.name(), e);
        }
    }

    /** The user + system seconds of the children from the output of sh's {@code times} (its second line). */
    static double childrenCpu(String times) {
        String[] lines = times.strip().split("\n");
        Matcher m = TIME.matcher(lines[lines.length - 1]);
        double seconds = 0;
        int found = 0;
        while (m.find()) {
            seconds += Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            found++;
        }
        if (found != 2) {
            throw new IllegalStateException("sh's times printed no user and system time: " + times.strip());
        }
        return seconds;
    }
}
