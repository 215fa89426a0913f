package dev.mmutrace.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * Which file a path names, so that {@code x.csv}, {@code ./x.csv}, a symbolic link to it and a
 * hard link to it are all recognised as the same file: its real path (links resolved) and its
 * file key (device and inode on Unix). Either matching means the same file.
 */
record FileIdentity(Path given, Path realPath, Optional<Object> fileKey) {

    /** The identity of an existing file; empty when nothing is there. */
    static Optional<FileIdentity> of(Path path) {
        try {
            Path real = path.toRealPath();
            Object key = Files.readAttributes(real, BasicFileAttributes.class).fileKey();
            return Optional.of(new FileIdentity(path, real, Optional.ofNullable(key)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    boolean sameFileAs(FileIdentity other) {
        return realPath.equals(other.realPath) || fileKey.isPresent() && Objects.equals(fileKey, other.fileKey);
    }
}
