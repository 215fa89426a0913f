package dev.mmutrace.bench;

import dev.mmutrace.bench.ProcessFigures.Contest;
import dev.mmutrace.trace.TraceHeader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands of the bench's whole-process figures ({@link ProcessFigures}): what a user runs,
 * over the bench's own inputs, beside the peers and floors that read the same file.
 */
final class WholeProcesses {
    /** mawk splitting every line into its fields: a peer that reads each byte and does the least with it. */
    static final String MAWK_FIELDS = "{n+=NF} END {print n}";

    private WholeProcesses() {
    }

    /** The binary decode as a process against {@code cat} copying the same file. */
    static Contest binaryDecode(BenchInputs in) {
        String file = in.binary().toString();
        return Contest.of(in.settings().events(), "events", Child.bench("decode", DecodeProcess.class, file),
                Child.of("cat", "cat", file));
    }

    /** One trace through all models, as {@code mmutrace replay} with one thread and with two. */
    static Contest replay(BenchInputs in) {
        String file = in.binary().toString();
        return Contest.of(in.settings().events(), "events",
                Child.mmutrace(in, "replay --jobs 1", "replay", file, "--jobs", "1"),
                Child.mmutrace(in, "replay --jobs 2", "replay", file, "--jobs", "2"));
    }

    /** The batch figure's traces through all models, as {@code mmutrace replay} with one thread and with two. */
    static Contest batch(BenchInputs in) {
        List<String> files = new ArrayList<>();
        for (Path p : in.batch()) {
            files.add(p.toString());
        }
        return Contest.of(in.batch().size() * (in.settings().events() / 2), "events",
                Child.mmutrace(in, "batch --jobs 1", replayArgs(files, "1")),
                Child.mmutrace(in, "batch --jobs 2", replayArgs(files, "2")));
    }

    private static String[] replayArgs(List<String> files, String jobs) {
        List<String> args = new ArrayList<>(List.of("replay"));
        args.addAll(files);
        args.addAll(List.of("--jobs", jobs));
        return args.toArray(String[]::new);
    }

    /** The CSV decode as a process against mawk splitting the same rows at their commas, and {@code wc -l}. */
    static Contest csvDecode(BenchInputs in) {
        String file = in.csv().toString();
        return Contest.of(in.settings().events(), "rows", Child.bench("decode", DecodeProcess.class, file),
                Child.of("mawk -F,", "mawk", "-F,", MAWK_FIELDS, file), Child.of("wc -l", "wc", "-l", file));
    }

    /**
     * {@code mmutrace convert} importing the ftrace text (vCPUs and pfn limit given, so one pass)
     * into a binary trace, against mawk splitting the same lines into fields, and {@code wc -l}.
     */
    static Contest ftraceImport(BenchInputs in) {
        String text = in.ftrace().toString();
        TraceHeader h = Replays.header(in.binary());
        return Contest.of(in.ftraceLines(), "lines",
                Child.mmutrace(in, "convert --from ftrace", "convert", "--from", "ftrace", "--vcpus",
                        Integer.toString(h.vcpus()), "--pfn-limit", Long.toString(h.pfnLimit()), text,
                        in.dir().resolve("imported.mmtrace").toString()),
                Child.of("mawk", "mawk", MAWK_FIELDS, text), Child.of("wc -l", "wc", "-l", text));
    }
}
