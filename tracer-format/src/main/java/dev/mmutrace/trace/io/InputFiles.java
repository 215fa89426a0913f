package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceInputException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens the files a command reads (traces, cost tables, reports), so that every way of failing to
 * read one is the same kind of message: the path as the user gave it, then what is wrong in plain
 * words ("is a directory, not a file", "no such file", "line 3: not valid UTF-8 text").
 */
public final class InputFiles {
    private InputFiles() {
    }

    /** Why {@code path} cannot be read as an input file, when that can be told without opening it. */
    public static Optional<String> problem(Path path) {
        if (Files.isDirectory(path)) {
            return Optional.of("is a directory, not a file");
        }
        if (!Files.exists(path)) {
            return Optional.of("no such file");
        }
        return Optional.empty();
    }

    /** Opens {@code path} for reading; failing that, a {@link TraceInputException} naming it. */
    public static InputStream open(Path path) {
        Optional<String> problem = problem(path);
        if (problem.isPresent()) {
            throw TraceInputException.ofFile(path.toString(), problem.get());
        }
        try {
            // not Files.newInputStream: its stream asks a FIFO for its size and position (available(),
            // which gzip calls at its end) and fails with "Illegal seek"
            return new FileInputStream(path.toFile());
        } catch (IOException e) {
            throw TraceInputException.ofFile(path.toString(), PlainReason.of(e));
        }
    }

    /** The whole of {@code path} as UTF-8 text; a byte that is not UTF-8 is an error naming its line. */
    public static String readUtf8(Path path) {
        byte[] bytes;
        try (InputStream in = open(path)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw TraceInputException.ofFile(path.toString(), PlainReason.of(e));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw TraceInputException.atLine(path.toString(), lineOfFirstBadByte(bytes), TraceInputException.NO_FIELD,
                    "not valid UTF-8 text");
        }
    }

    /** The 1-based line of the first byte sequence that does not decode as UTF-8. */
    private static long lineOfFirstBadByte(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        long line = 1;
        for (int i = 0; i < in.position(); i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
