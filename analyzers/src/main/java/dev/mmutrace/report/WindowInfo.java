package dev.mmutrace.report;

/**
 * The window a report covers when the run was given one (docs/report-format.md, Windows): the
 * bounds as given, the first and last event counted (numbered as in the whole trace, so an event
 * reference means the same event as in a run over the whole trace), and whether the events before
 * the window were replayed to warm the models up (never counted) or left out, their state unknown.
 */
public record WindowInfo(String bounds, long firstEvent, long lastEvent, boolean warm, long warmEvents) {

    /** Which events the figures count, and what the models knew before the first of them. */
    String described() {
        String before = firstEvent == 0 ? "from the start of the trace"
                : warm ? "warmed up on the " + FigureRows.num(warmEvents) + " events before (not counted)"
                : "state before it unknown";
        return "window " + bounds + ": events " + FigureRows.num(firstEvent) + " to " + FigureRows.num(lastEvent)
                + ", " + before;
    }
}
