package dev.mmutrace.replay;

import dev.mmutrace.trace.Access;

/**
 * A memory access to replay: an explicit {@code access} event, or (implied mode) the retry of a
 * faulting access that the guest makes after its handler ({@code retry} set; the event index the
 * models see is then the page fault's).
 */
public record AccessRequest(int cpu, long vaddr, Access.Kind kind, boolean user, boolean retry) {
}
