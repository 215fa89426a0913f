package dev.mmutrace.bench;

/**
 * The medians of a figure's timed runs: wall clock, and the cpu time the work took (a thread's
 * own for work in this JVM, a child's user + system for a whole process), which on a machine
 * others share is the steadier of the two.
 */
record Times(double wallSeconds, double cpuSeconds) {
}
