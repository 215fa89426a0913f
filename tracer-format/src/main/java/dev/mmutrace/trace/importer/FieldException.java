package dev.mmutrace.trace.importer;

import static java.util.Objects.requireNonNull;

/**
 * A tracepoint field the translation cannot use (missing, unreadable, impossible). The importer
 * that produced the record adds where it stands (a line, a record) when it reports it.
 */
public final class FieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    public FieldException(String field, String problem) {
        super(field + ": " + problem);
        this.field = requireNonNull(field, "field");
        this.problem = requireNonNull(problem, "problem");
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
