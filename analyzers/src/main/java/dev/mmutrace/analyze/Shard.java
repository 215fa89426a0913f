package dev.mmutrace.analyze;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shard K of N of a list of traces ({@code replay --shard K/N}), for CI matrices of plain machines:
 * the traces sorted by file name (then by the whole path), and of those the K-th, the (K+N)-th,
 * and so on. The split depends only on the names, so N machines given the same traces take each
 * trace exactly once between them, and the shards differ in size by at most one.
 */
public record Shard(int index, int count) {

    public Shard {
        checkArgument(count >= 1 && index >= 1 && index <= count, "--shard K/N needs 1 <= K <= N, got %s/%s",
                index, count);
    }

    /** {@code K/N}, as the command line gives it. */
    public static Shard parse(String text) {
        String[] kn = text.split("/", -1);
        checkArgument(kn.length == 2, "--shard takes K/N (e.g. 2/4), got '%s'", text);
        try {
            return new Shard(Integer.parseInt(kn[0].trim()), Integer.parseInt(kn[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard takes K/N (e.g. 2/4), got '" + text + "'");
        }
    }

    /** This shard's traces, in the order given. */
    public ImmutableList<Path> of(List<Path> traces) {
        List<Path> byName = new ArrayList<>(traces);
        byName.sort(Comparator.comparing((Path p) -> String.valueOf(p.getFileName())).thenComparing(Path::toString));
        Set<Path> mine = new HashSet<>();
        for (int i = index - 1; i < byName.size(); i += count) {
            mine.add(byName.get(i));
        }
        return traces.stream().filter(mine::contains).collect(ImmutableList.toImmutableList());
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
