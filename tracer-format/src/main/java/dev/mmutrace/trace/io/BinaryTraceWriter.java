package dev.mmutrace.trace.io;

import com.google.protobuf.CodedOutputStream;
import dev.mmutrace.trace.EventValidator;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceInputException.Unit;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.proto.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes a binary trace in version 2 of the format: preamble, header, then the events in
 * batches of {@value BinaryLayout#BATCH_EVENTS}, each batch one length-delimited
 * {@code EventBatch} record; the last batch holds what is left when the writer is closed, and a
 * trace without events has no batch. Events are checked against the header as a reader would,
 * so a writer never makes a file its own reader refuses.
 */
final class BinaryTraceWriter implements TraceWriter {
    private final OutputStream out;
    private final CodedOutputStream coded;
    private final String target;
    private final EventValidator validator;
    private final EventBatchEncoder batch = new EventBatchEncoder();
    /** The batch being gathered is this record of the file (the header is record 0). */
    private long record = 1;
    private long events;

    BinaryTraceWriter(OutputStream out, String target, TraceHeader header) {
        this.out = out;
        this.target = target;
        this.validator = new EventValidator(header);
        this.coded = CodedOutputStream.newInstance(out, 64 * 1024);
        try {
            coded.writeRawBytes(BinaryLayout.preamble(BinaryLayout.VERSION_BATCHES));
            Header message = HeaderMessages.toMessage(header, BinaryLayout.VERSION_BATCHES);
            coded.writeUInt32NoTag(message.getSerializedSize());
            message.writeTo(coded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(TraceEvent event) {
        try {
            validator.check(event, target, Unit.RECORD, record);
        } catch (TraceInputException e) {
            throw BinaryLayout.atBatchEvent(e, events + 1, batch.size());
        }
        batch.add(event);
        events++;
        if (batch.size() == BinaryLayout.BATCH_EVENTS) {
            writeBatch();
        }
    }

    private void writeBatch() {
        try {
            batch.writeTo(coded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record++;
    }

    @Override
    public void close() {
        try (OutputStream o = out) {
            if (batch.size() > 0) {
                writeBatch();
            }
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
