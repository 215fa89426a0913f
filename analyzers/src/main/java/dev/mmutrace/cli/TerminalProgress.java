package dev.mmutrace.cli;

import dev.mmutrace.analyze.ReplayProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error while traces replay, only when standard error is a terminal
 * ({@link StandardError}): piped, redirected or in CI there is no bar at all. It moves by the
 * bytes read of the trace files, so a single large trace shows its progress, its rate (MiB/s) and
 * the time left; the offsets come from {@link ReadPosition}, polled four times a second. When a
 * trace's size is unknown (a pipe, standard input) or the offsets cannot be read, it counts
 * traces done instead.
 */
final class TerminalProgress implements ReplayProgress, AutoCloseable {
    private static final long POLL_MILLIS = 250;

    private final ProgressBar bar;
    private final AtomicLong events = new AtomicLong();
    /** Each trace by the name the replay reports it under, with its real path and size; empty if unknown. */
    private final Map<String, Sized> traces;
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private final ReadPosition positions;
    private final ScheduledExecutorService poll;

    private record Sized(Path real, long bytes) {
    }

    private TerminalProgress(ProgressBar bar, Map<String, Sized> traces, ReadPosition positions) {
        this.bar = bar;
        this.traces = traces;
        this.positions = positions;
        if (traces.isEmpty()) {
            this.poll = null;
            return;
        }
        this.poll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mmutrace-progress");
            t.setDaemon(true);
            return t;
        });
        poll.scheduleAtFixedRate(() -> bar.stepTo(bytesRead()), 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A bar over {@code files}, or null when standard error is not a terminal. */
    static TerminalProgress start(java.util.List<Path> files) {
        if (!StandardError.isTerminal()) {
            return null;
        }
        Map<String, Sized> sized = sizes(files);
        ReadPosition positions = ReadPosition.ofThisProcess();
        boolean byBytes = !sized.isEmpty() && Files.isDirectory(Path.of("/proc/self/fdinfo"));
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName("replay").setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis((int) POLL_MILLIS).continuousUpdate();
        if (byBytes) {
            long total = sized.values().stream().mapToLong(Sized::bytes).sum();
            b.setInitialMax(total).setUnit(" MiB", 1 << 20).showSpeed().setSpeedUnit(ChronoUnit.SECONDS);
        } else {
            b.setInitialMax(files.size()).setUnit(" traces", 1);
        }
        return new TerminalProgress(b.build(), byBytes ? sized : Map.of(), positions);
    }

    /** Every file's real path and size, by the name given; empty when any is not a regular file. */
    private static Map<String, Sized> sizes(java.util.List<Path> files) {
        Map<String, Sized> sized = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                if (!Files.isRegularFile(f)) {
                    return Map.of();
                }
                sized.put(f.toString(), new Sized(f.toRealPath(), Files.size(f)));
            } catch (IOException e) {
                return Map.of();
            }
        }
        return sized;
    }

    /** Bytes read so far: all of every trace done, the offset of each one open. */
    private long bytesRead() {
        long sum = 0;
        for (Map.Entry<String, Sized> t : traces.entrySet()) {
            Sized s = t.getValue();
            sum += done.contains(t.getKey()) ? s.bytes() : Math.min(s.bytes(), positions.of(s.real()).orElse(0));
        }
        return sum;
    }

    @Override
    public void eventsReplayed(long n) {
        bar.setExtraMessage(String.format(Locale.ROOT, ", %,d events", events.addAndGet(n)));
    }

    @Override
    public void traceDone(String path) {
        if (traces.isEmpty()) {
            bar.step();
        } else {
            done.add(path);
        }
    }

    @Override
    public void close() {
        if (poll != null) {
            poll.shutdownNow();
            bar.stepTo(bytesRead());
        }
        bar.close();
    }
}
