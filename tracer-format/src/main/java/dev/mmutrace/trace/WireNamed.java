package dev.mmutrace.trace;

import java.util.Optional;

/**
 * A word of the trace vocabulary, written by name in both trace formats, headers and the command
 * line. Most words are their enum constant's name in lower case ({@code set_pte_at},
 * {@code permutation}), so that is what {@link #wireName()} gives unless the enum says otherwise
 * (a paging mode is {@code 2level}, a workload {@code fork-exec-exit}); then the name is written
 * once, as the constant, not again as a string beside it.
 *
 * <p>The subtle thing: CSV writing asks every event for its words, so the lower-case names are
 * made once per enum (a {@link ClassValue}), never per call.
 */
public interface WireNamed {

    /** The word the formats and the command line use. */
    default String wireName() {
        Enum<?> constant = (Enum<?>) this;
        return LowerCaseNames.OF.get(constant.getDeclaringClass())[constant.ordinal()];
    }

    /** The constant of {@code values} whose wire name is {@code name}, or none. */
    static <E extends WireNamed> Optional<E> find(E[] values, String name) {
        for (E e : values) {
            if (e.wireName().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
