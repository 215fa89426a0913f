package dev.mmutrace.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times one in-JVM figure in fresh child JVMs ({@link TimedWork}), one after the other, each
 * started with the launcher's JVM options as a user's {@code mmutrace} is, and gathers their runs.
 *
 * <p>Why children: timed in the bench's own JVM (G1, after the generator, the encoders and the
 * figures before), the decode and the batch speed-up also depended on that JVM's history. Why
 * several: the machine slows in spells of seconds (see {@link MachineProbe}); runs spread over
 * several JVMs and a longer time are less likely to fall all in one spell.
 */
final class TimedChildren {
    private TimedChildren() {
    }

    /** The runs of {@code work} over {@code files}, from the settings' {@code childJvms} children in turn. */
    static ChildRuns run(BenchInputs inputs, TimedWork.Work work, Timing timing, List<Path> files) {
        List<String> args = new ArrayList<>(List.of(work.wire(), Integer.toString(timing.warmups()),
                Integer.toString(timing.runs())));
        files.forEach(f -> args.add(f.toString()));
        ChildRuns all = ChildRuns.none();
        int jvms = inputs.settings().childJvms();
        for (int jvm = 1; jvm <= jvms; jvm++) {
            Child child = Child.bench(work.wire(), inputs.launcherOptions(), TimedWork.class,
                    args.toArray(String[]::new));
            SideBySide.once(child, inputs.dir());
            try {
                all = all.and(ChildRuns.parse(work.wire() + " child JVM " + jvm,
                        Files.readAllLines(SideBySide.output(inputs.dir()), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    /** Where a figure was timed, for its description: {@code in 3 fresh JVMs (java -XX:+UseParallelGC ...)}. */
    static String where(BenchInputs inputs) {
        int jvms = inputs.settings().childJvms();
        return (jvms == 1 ? "in a fresh JVM" : "in " + jvms + " fresh JVMs") + " ("
                + LauncherOptions.described(inputs.launcherOptions()) + ", the launcher's options)";
    }
}
