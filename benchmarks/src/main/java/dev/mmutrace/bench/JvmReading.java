package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * What a timing child reads of its JVM before its first warm-up and after each
 * ({@link WarmupRule}): the young generation, and the JIT's total compilation time so far.
 *
 * @param compilationMillis {@link CompilationMXBean#getTotalCompilationTime()}: the milliseconds
 *     the compiler threads spent on the compilations finished so far, summed over the threads
 */
record JvmReading(YoungGeneration young, long compilationMillis) {
    JvmReading {
        checkArgument(compilationMillis >= 0, "compilation time must be >= 0, got %s ms", compilationMillis);
    }

    /** Now; a JVM that cannot time its compilations reads 0, so the JIT never looks busy there. */
    static JvmReading now() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long millis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        return new JvmReading(YoungGeneration.now(), millis);
    }
}
