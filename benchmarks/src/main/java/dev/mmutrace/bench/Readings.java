package dev.mmutrace.bench;

/**
 * Where a bench run reads how busy the machine is: what the host gives the guest ({@link HostShare},
 * from a {@link HostProbe}) and what other processes in the guest take ({@link MachineLoad}).
 * {@link BenchRun} decides from these readings alone whether a measurement was idle and so whether
 * to measure it again; tests give it readings fixed by hand instead of this machine's.
 */
interface Readings {

    /** One host probe, now. */
    HostShare probe();

    /** The guest's load, now. */
    MachineLoad load();

    /** This machine's readings: a {@link HostProbe} warmed up here (about 0.1-0.2 s), and /proc. */
    static Readings ofThisMachine() {
        HostProbe probe = HostProbe.warmedUp();
        return new Readings() {
            @Override
            public HostShare probe() {
                return probe.share();
            }

            @Override
            public MachineLoad load() {
                return MachineLoad.now();
            }
        };
    }
}
