package dev.mmutrace.trace.io;

import java.util.Arrays;

/**
 * The values of one batch column in event order, with a read position: the decoder's as the
 * events hold them (deltas and the +1 of optional fields already undone), the encoder's as the
 * wire holds them (already coded). Reused from batch to batch, so a batch costs no allocation once
 * the arrays have grown to it.
 */
final class ColumnValues {
    private long[] values = new long[BinaryLayout.BATCH_EVENTS];
    private int size;
    private int read;

    int size() {
        return size;
    }

    /** The array behind the column: its first {@link #size()} values are the column's. */
    long[] array() {
        return values;
    }

    long get(int index) {
        return values[index];
    }

    void add(long value) {
        if (size == values.length) {
            grow();
        }
        values[size++] = value;
    }

    /** Out of {@link #add}, which the JIT inlines at each of the encoder's many call sites. */
    private void grow() {
        values = Arrays.copyOf(values, size * 2);
    }

    /**
     * The array behind the column, with room for {@code extra} more values after {@link #size()},
     * for a decoder to fill in place before it calls {@link #grownTo}.
     */
    long[] reserve(int extra) {
        if (values.length - size < extra) {
            values = Arrays.copyOf(values, Math.max(size + extra, values.length * 2));
        }
        return values;
    }

    /** Takes the values a decoder put into {@link #reserve}'s array up to {@code newSize}. */
    void grownTo(int newSize) {
        size = newSize;
    }

    /** The next unread value; the reader checked beforehand that the column holds enough. */
    long next() {
        return values[read++];
    }

    void clear() {
        size = 0;
        read = 0;
    }
}
