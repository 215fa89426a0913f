package dev.mmutrace.trace.io;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.mmutrace.trace.EventValidator;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException.Unit;
import dev.mmutrace.trace.TraceWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes a binary trace: preamble, header, then each event as a length-delimited message.
 * Events are checked against the header as a reader would, so a writer never makes a file its
 * own reader refuses.
 */
final class BinaryTraceWriter implements TraceWriter {
    private final OutputStream out;
    private final CodedOutputStream coded;
    private final String target;
    private final EventValidator validator;
    private long record;

    BinaryTraceWriter(OutputStream out, String target, TraceHeader header) {
        this.out = out;
        this.target = target;
        this.validator = new EventValidator(header);
        this.coded = CodedOutputStream.newInstance(out, 64 * 1024);
        try {
            coded.writeRawBytes(BinaryLayout.preamble(header.formatVersion()));
            writeDelimited(HeaderMessages.toMessage(header));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(TraceEvent event) {
        validator.check(event, target, Unit.RECORD, record + 1);
        try {
            writeDelimited(EventMessages.toMessage(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record++;
    }

    private void writeDelimited(MessageLite message) throws IOException {
        coded.writeUInt32NoTag(message.getSerializedSize());
        message.writeTo(coded);
    }

    @Override
    public void close() {
        try (OutputStream o = out) {
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
