package dev.mmutrace.cli;

import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.window.Seconds;
import dev.mmutrace.trace.window.TraceWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The part of a trace a run reads (docs/trace-format.md, Windows): times as the trace prints
 * them or event numbers as reports number them, for every input format; and {@code --warm},
 * which replays the events before the window without counting them. Shared by replay and
 * convert; every mistake is a usage error naming the option and its value.
 */
final class WindowArgs {
    @Option(names = "--from-time", paramLabel = "SECONDS",
            description = "start at the first event at or after this time, as the trace prints it (e.g. 1234.567890)")
    String fromTime;

    @Option(names = "--to-time", paramLabel = "SECONDS",
            description = "end with the last event before the first one printed later than this time")
    String toTime;

    @Option(names = "--from-event", paramLabel = "N",
            description = "start at event N (0-based, as reports and the events log number events)")
    String fromEvent;

    @Option(names = "--to-event", paramLabel = "N", description = "end with event N (inclusive)")
    String toEvent;

    @Option(names = "--warm",
            description = "replay only: the events before the window go through the models without being counted"
                    + " (else the state before the window is unknown); convert refuses it")
    boolean warm;

    /** The window the options give, or empty for the whole trace. */
    Optional<TraceWindow> window(CommandLine cmd) {
        boolean times = fromTime != null || toTime != null;
        boolean events = fromEvent != null || toEvent != null;
        if (times && events) {
            throw new CommandLine.ParameterException(cmd, given(fromTime != null ? "--from-time" : "--to-time",
                    fromTime != null ? fromTime : toTime) + " with " + given(fromEvent != null ? "--from-event"
                    : "--to-event", fromEvent != null ? fromEvent : toEvent)
                    + ": a window is bounded by times or by event numbers, not both");
        }
        if (warm && fromTime == null && fromEvent == null) {
            throw new CommandLine.ParameterException(cmd,
                    "--warm: nothing comes before the window without --from-time or --from-event");
        }
        if (times) {
            Optional<Seconds> from = Optional.ofNullable(fromTime).map(t -> seconds(cmd, "--from-time", t));
            Optional<Seconds> to = Optional.ofNullable(toTime).map(t -> seconds(cmd, "--to-time", t));
            long fromNs = from.map(Seconds::ns).orElse(0L);
            long toEnd = to.map(Seconds::endNs).orElse(Long.MAX_VALUE);
            if (to.isPresent() && fromNs > to.get().ns()) {
                throw new CommandLine.ParameterException(cmd, given("--from-time", fromTime) + " is after "
                        + given("--to-time", toTime));
            }
            return Optional.of(new TraceWindow(TraceWindow.By.TIME, fromNs, toEnd, described()));
        }
        if (events) {
            long from = fromEvent == null ? 0 : eventNumber(cmd, "--from-event", fromEvent);
            long to = toEvent == null ? Long.MAX_VALUE - 1 : eventNumber(cmd, "--to-event", toEvent);
            if (from > to) {
                throw new CommandLine.ParameterException(cmd, given("--from-event", fromEvent) + " is after "
                        + given("--to-event", toEvent));
            }
            return Optional.of(new TraceWindow(TraceWindow.By.EVENT, from, to + 1, described()));
        }
        return Optional.empty();
    }

    /** The bounds as given, for reports and messages: {@code --from-event 10 --to-event 20}. */
    private String described() {
        List<String> parts = new ArrayList<>();
        if (fromTime != null) {
            parts.add(given("--from-time", fromTime));
        }
        if (toTime != null) {
            parts.add(given("--to-time", toTime));
        }
        if (fromEvent != null) {
            parts.add(given("--from-event", fromEvent));
        }
        if (toEvent != null) {
            parts.add(given("--to-event", toEvent));
        }
        return String.join(" ", parts);
    }

    private static String given(String option, String value) {
        return option + " " + value;
    }

    private static Seconds seconds(CommandLine cmd, String option, String text) {
        if (text.startsWith("-")) {
            throw new CommandLine.ParameterException(cmd, option + ": " + TraceInputException.quote(text) + " is negative; times are"
                    + " seconds as the trace prints them");
        }
        return Seconds.parse(text).orElseThrow(() -> new CommandLine.ParameterException(cmd, option + ": "
                + TraceInputException.quote(text) + " is not a time in seconds (digits, optionally a point and up to 9 decimals, e.g."
                + " 1234.567890)"));
    }

    private static long eventNumber(CommandLine cmd, String option, String text) {
        if (text.startsWith("-")) {
            throw new CommandLine.ParameterException(cmd, option + ": " + TraceInputException.quote(text) + " is negative; events are"
                    + " numbered from 0");
        }
        try {
            if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                long n = Long.parseLong(text);
                if (n < Long.MAX_VALUE - 1) {
                    return n;
                }
            }
        } catch (NumberFormatException e) {
            // too long for a long: the message below says what is wanted
        }
        throw new CommandLine.ParameterException(cmd, option + ": " + TraceInputException.quote(text) + " is not an event number (0, 1, 2, ...)");
    }
}
