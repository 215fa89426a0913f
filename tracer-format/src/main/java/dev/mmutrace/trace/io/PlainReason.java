package dev.mmutrace.trace.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * What went wrong with a file, in the words a user reads: "permission denied", "no space left on
 * device", never the Java exception's name. The file is not named here: the caller puts the
 * user's own path in front, because a {@link FileSystemException} names whatever file the JDK
 * touched, which may be a temporary one.
 */
public final class PlainReason {
    private PlainReason() {
    }

    /** The exceptions the JDK raises for a file, and what each means; the first match wins. */
    private static final List<Map.Entry<Class<? extends IOException>, String>> WORDS = List.of(
            Map.entry(AccessDeniedException.class, "permission denied"),
            Map.entry(NoSuchFileException.class, "no such file or directory"),
            Map.entry(FileAlreadyExistsException.class, "already exists"),
            Map.entry(DirectoryNotEmptyException.class, "is a directory that is not empty"),
            Map.entry(NotDirectoryException.class, "not a directory"),
            Map.entry(FileSystemLoopException.class, "symbolic links loop"),
            Map.entry(EOFException.class, "ends too early (cut short?)"),
            Map.entry(CharacterCodingException.class, "not valid UTF-8 text"));

    public static String of(IOException e) {
        for (Map.Entry<Class<? extends IOException>, String> w : WORDS) {
            if (w.getKey().isInstance(e)) {
                return w.getValue();
            }
        }
        if (e instanceof ZipException) {
            return "corrupt gzip data" + detail(e.getMessage());
        }
        if (e instanceof FileSystemException f) {
            return lowerFirst(f.getReason() == null ? "cannot be accessed" : f.getReason());
        }
        return lowerFirst(e.getMessage() == null ? "input/output error" : e.getMessage());
    }

    private static String detail(String message) {
        return message == null || message.isBlank() ? "" : " (" + lowerFirst(message) + ")";
    }

    private static String lowerFirst(String s) {
        if (s.isEmpty() || s.length() > 1 && Character.isUpperCase(s.charAt(1))) {
            return s;
        }
        return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
