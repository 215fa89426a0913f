package dev.mmutrace.bench;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures how much cpu the host gives this guest right now: a fixed piece of register arithmetic
 * timed on one thread alone and on one thread per cpu the JVM sees, all at once ({@link HostShare}).
 * Run before and after each of the bench's measurements (about 50 ms a probe on the project's
 * machine), and standalone: {@code java -cp mmutrace-bench.jar dev.mmutrace.bench.HostProbe [N]}
 * prints N probes (default 1).
 *
 * <p>The subtle thing: the guest cannot see what the host does to it. On the project's 2-vCPU
 * Firecracker guest, with nothing else running in the guest and no steal time, the two vCPUs
 * sometimes share one physical core's execution units (hyperthread siblings, or tenants beside
 * them), and work on both at once then gets 1.1-1.5 cores' worth instead of 2 (this kernel 1.15,
 * two {@code mawk}s 1.3) for a second to tens of seconds; in other spells both vCPUs run slower
 * (this kernel at 0.66-0.84 of its speed), which {@link HostShare#speedAgainst} shows. The kernel
 * is chosen to show the sharing: six independent xorshift-multiply chains,
 * all in registers (no allocation, no load or store, so no cache or memory bandwidth in it), enough
 * independent work to keep one core's integer units busy on its own, so that anything else on the
 * same core slows it. A dependent pointer chase through L1 (tried) keeps its speed when the vCPUs
 * share a core and would not show it. The kernel's result is checked against the value it must
 * give, which also keeps the JIT from dropping the work.
 */
public final class HostProbe {
    /** One run of the kernel: about 1.9 ms on the project's machine (AMD EPYC, 2026-12-06). */
    static final long ITERATIONS = 400_000;
    /**
     * Runs alone and as many all at once; each side's median is kept. The host takes a vCPU away
     * for a millisecond or two now and then even in good spells, so that a short all-at-once run
     * comes out near one core now and then; the median of eleven passes over those and still
     * follows a spell that lasts the probe's 45-50 ms.
     */
    static final int ROUNDS = 11;
    /** How long a thread of an all-at-once run waits for the others to be running before it starts anyway. */
    private static final long START_WAIT_NANOS = 1_000_000_000L;
    private static final int WARMUP_CALLS = 2_000;
    private static final long WARMUP_ITERATIONS = 2_000;
    private static final int WARMUP_ROUNDS = 2;

    private final int threads;
    private final long expected;

    private HostProbe(int threads, long expected) {
        this.threads = threads;
        this.expected = expected;
    }

    /**
     * A probe for all the cpus this JVM sees, its kernel compiled by the JIT (many short calls,
     * so that the method itself is compiled and not only its loop) and run alone and all at once
     * a few times before any timing counts; about 0.1-0.2 s once.
     */
    public static HostProbe warmedUp() {
        HostProbe shortRuns = new HostProbe(1, kernel(WARMUP_ITERATIONS));
        for (int i = 0; i < WARMUP_CALLS; i++) {
            shortRuns.check(kernel(WARMUP_ITERATIONS));
        }
        HostProbe probe = new HostProbe(Runtime.getRuntime().availableProcessors(), kernel(ITERATIONS));
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            probe.share();
        }
        return probe;
    }

    /**
     * One probe: the median of {@link #ROUNDS} runs alone, then of as many all at once, each of
     * these on threads that stay running from one run to the next (see {@link #allAtOnceSeconds}).
     */
    public HostShare share() {
        double[] alone = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            check(kernel(ITERATIONS));
            alone[r] = (System.nanoTime() - start) / 1e9;
        }
        return new HostShare(threads, Timing.median(alone), Timing.median(allAtOnceSeconds()));
    }

    /**
     * {@link #ROUNDS} runs of one kernel on each of {@link #threads} threads at once, each run's
     * time from the first thread's start to the last one's end, which is what it takes the host to
     * run them all (a thread that ran alone while another waited for a core is counted in full).
     * Each thread does all the runs and, between them, spins until all have arrived rather than
     * sleeping: a vCPU that sleeps is halted in the host, and waking it takes the host up to a few
     * milliseconds and leaves it slower for its first milliseconds back, which two {@code mawk}s
     * of half a second never notice but a 2 ms run does. One more run before the timed ones is not
     * counted, for the same reason and so that the guest has put the threads on separate cpus.
     * Measured on the project's machine against one thread per run released by a blocking barrier:
     * that read a third or more of its runs as one core, and 1.5-1.7 cores right after a one-thread
     * {@code mawk} where right after two {@code mawk}s it read 1.9-2.0.
     */
    private double[] allAtOnceSeconds() {
        int runs = ROUNDS + 1;
        long[][] starts = new long[runs][threads];
        long[][] ends = new long[runs][threads];
        long[][] results = new long[runs][threads];
        AtomicInteger arrived = new AtomicInteger();
        Thread[] kernels = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            kernels[t] = new Thread(() -> {
                for (int r = 0; r < runs; r++) {
                    int all = (r + 1) * threads;
                    arrived.incrementAndGet();
                    long deadline = System.nanoTime() + START_WAIT_NANOS;
                    while (arrived.get() < all && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    starts[r][index] = System.nanoTime();
                    results[r][index] = kernel(ITERATIONS);
                    ends[r][index] = System.nanoTime();
                }
            }, "host-probe-" + t);
            kernels[t].start();
        }
        for (Thread kernel : kernels) {
            join(kernel);
        }
        double[] seconds = new double[ROUNDS];
        for (int r = 1; r < runs; r++) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int t = 0; t < threads; t++) {
                check(results[r][t]);
                first = Math.min(first, starts[r][t]);
                last = Math.max(last, ends[r][t]);
            }
            seconds[r - 1] = (last - first) / 1e9;
        }
        check(results[0][0]);
        return seconds;
    }

    /**
     * Six independent chains of xorshift (13, 7, 17) and a multiply by the 64-bit golden ratio, in
     * registers only: a deterministic value for a given count, and about four integer operations
     * a cycle ready at any time, which is what a core's integer units can take.
     */
    static long kernel(long iterations) {
        long a = 1;
        long b = 2;
        long c = 3;
        long d = 4;
        long e = 5;
        long f = 6;
        for (long i = 0; i < iterations; i++) {
            a ^= a << 13; a ^= a >>> 7; a ^= a << 17; a *= 0x9E3779B97F4A7C15L;
            b ^= b << 13; b ^= b >>> 7; b ^= b << 17; b *= 0x9E3779B97F4A7C15L;
            c ^= c << 13; c ^= c >>> 7; c ^= c << 17; c *= 0x9E3779B97F4A7C15L;
            d ^= d << 13; d ^= d >>> 7; d ^= d << 17; d *= 0x9E3779B97F4A7C15L;
            e ^= e << 13; e ^= e >>> 7; e ^= e << 17; e *= 0x9E3779B97F4A7C15L;
            f ^= f << 13; f ^= f >>> 7; f ^= f << 17; f *= 0x9E3779B97F4A7C15L;
        }
        return a ^ b ^ c ^ d ^ e ^ f;
    }

    private void check(long result) {
        if (result != expected) {
            throw new IllegalStateException("host probe: the kernel gave " + result + ", it must give " + expected);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing the host", e);
        }
    }

    /** Prints {@code args[0]} probes (default 1), each with its single core's speed against the first. */
    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        HostProbe probe = warmedUp();
        HostShare first = probe.share();
        for (int i = 0; i < count; i++) {
            HostShare s = i == 0 ? first : probe.share();
            System.out.printf(Locale.ROOT, "host gave %.2f of %d cores; one core at %.2f of the first probe's"
                    + " speed; kernel %.2f ms alone, %.2f ms on %d threads at once%n", s.cores(), s.threads(),
                    s.speedAgainst(first), s.aloneSeconds() * 1e3, s.allSeconds() * 1e3, s.threads());
        }
    }
}
