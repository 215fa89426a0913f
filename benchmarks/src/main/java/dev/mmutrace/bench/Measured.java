package dev.mmutrace.bench;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * What one attempt at a {@link Measurement} gave: its figures, and what the {@link MachineProbe}
 * read before the timed runs behind them (the figures timed in child JVMs; none for the others),
 * which {@link BenchRun} weighs in whether the attempt was idle. The figures' values never are.
 */
public record Measured(ImmutableList<Figure> figures, ImmutableList<MachineProbeReadings> machineProbes) {

    public Measured {
        figures = ImmutableList.copyOf(figures);
        machineProbes = ImmutableList.copyOf(machineProbes);
    }

    /** Figures with no machine probe behind them (timed in this JVM, or whole processes). */
    static Measured of(List<Figure> figures) {
        return new Measured(ImmutableList.copyOf(figures), ImmutableList.of());
    }

    /** Figures and, shown among them and weighed by the bench, the machine probe's readings. */
    static Measured probed(List<Figure> figures, MachineProbeReadings... machineProbes) {
        return new Measured(ImmutableList.copyOf(figures), ImmutableList.copyOf(machineProbes));
    }
}
