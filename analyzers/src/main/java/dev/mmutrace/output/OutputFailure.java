package dev.mmutrace.output;

import dev.mmutrace.trace.io.PlainReason;
import java.io.IOException;

/**
 * Writing an output failed (a full disk, a closed pipe, a vanished directory). The message names
 * the output as the user gave it, never the temporary file the bytes were going to, and says what
 * happened in plain words.
 */
public final class OutputFailure extends IOException {
    private static final long serialVersionUID = 1L;

    OutputFailure(OutputTarget target, IOException cause) {
        super(target.shown() + ": cannot write: " + PlainReason.of(cause), cause);
    }
}
