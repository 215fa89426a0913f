package dev.mmutrace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every name under a test's directory (hidden ones too), with what it is and, for regular files,
 * its size: compared before and after a command, a leftover temporary file or a half-written
 * output shows up here.
 */
final class DirectoryListing {
    private DirectoryListing() {
    }

    static Map<String, String> of(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !p.equals(dir)).forEach(all::add);
        }
        Map<String, String> names = new TreeMap<>();
        for (Path p : all) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String kind = a.isSymbolicLink() ? "link" : a.isDirectory() ? "dir" : a.isOther() ? "other"
                    : "file " + a.size();
            names.put(dir.relativize(p).toString(), kind);
        }
        return names;
    }
}
