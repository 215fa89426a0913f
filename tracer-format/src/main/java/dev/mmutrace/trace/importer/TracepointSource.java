package dev.mmutrace.trace.importer;

import dev.mmutrace.trace.TraceInputException;
import java.util.Optional;

/**
 * An importer's input, opened: its tracepoint records one at a time, and where the tracer says so,
 * the events it lost ({@link #loss()}). Whatever is not a record
 * (comments, another tracer's lines) the source skips itself and counts in the import's tally;
 * what it cannot read is a {@link TraceInputException} naming its place.
 */
public interface TracepointSource extends AutoCloseable {

    /** Moves to the next record; false at the end of the input. */
    boolean advance();

    /**
     * Present when what {@link #advance()} moved to is not a record but the tracer's word that it
     * lost events of a cpu here (a text trace's lost-events line, a trace.dat page's lost count,
     * handed out just before the record it preceded); {@link #record()} is then not to be read.
     */
    Optional<Loss> loss();

    /** The current record, valid until the next {@link #advance()}; only when there is no {@link #loss()}. */
    TracepointRecord record();

    /** Whether {@link #position()} counts lines or records. */
    TraceInputException.Unit unit();

    /** Where the current record stands in the input (line or record number, from 1). */
    long position();

    /** The cpu count the input states before its first record (a preamble, a file header), or 0. */
    int statedCpus();

    /** Where {@link #statedCpus()} was found, for the import summary. */
    String statedCpusFrom();

    /** The producer version the imported header names: the input's own format ({@code text}, {@code trace.dat v7}). */
    String producerVersion();

    @Override
    void close();
}
