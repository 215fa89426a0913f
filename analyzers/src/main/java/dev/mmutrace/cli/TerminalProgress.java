package dev.mmutrace.cli;

import dev.mmutrace.analyze.ReplayProgress;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error while traces replay: traces done of all, and events replayed
 * so far. Only on a terminal: when there is no console (output piped or redirected, CI) there is
 * no bar at all.
 */
final class TerminalProgress implements ReplayProgress, AutoCloseable {
    private final ProgressBar bar;
    private final AtomicLong events = new AtomicLong();

    private TerminalProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar over {@code traces} traces, or null when standard output is not a terminal. */
    static TerminalProgress start(int traces) {
        if (System.console() == null) {
            return null;
        }
        return new TerminalProgress(new ProgressBarBuilder().setTaskName("replay").setInitialMax(traces)
                .setUnit(" traces", 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .continuousUpdate().build());
    }

    @Override
    public void eventsReplayed(long n) {
        bar.setExtraMessage(String.format(java.util.Locale.ROOT, "%,d events", events.addAndGet(n)));
    }

    @Override
    public void traceDone(String path) {
        bar.step();
    }

    @Override
    public void close() {
        bar.close();
    }
}
