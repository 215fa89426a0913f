package dev.mmutrace.trace.ftrace;

import static dev.mmutrace.trace.TraceInputException.quote;

import dev.mmutrace.trace.importer.Field;
import dev.mmutrace.trace.importer.FieldException;
import dev.mmutrace.trace.importer.KernelPointers;
import dev.mmutrace.trace.importer.Tracepoint;
import dev.mmutrace.trace.importer.TracepointRecord;
import dev.mmutrace.trace.text.Decimal;
import dev.mmutrace.trace.text.Hex;

/**
 * One ftrace text line as a tracepoint record: its context columns and its payload's fields as a
 * {@link ScannedChunk} holds them, refilled line after line, with values read from the bytes only
 * when the translation asks for them.
 *
 * <p>The subtle thing: the kernel prints some fields as words, not numbers ({@code kernel cr3},
 * {@code pinned}, {@code LAZY_MMU}, {@code flush: yes}); here they become the values the format's
 * struct holds, so the translation sees the same fields a binary record has. trace-cmd's
 * {@code [FAILED TO PARSE]} fallback already prints the struct's fields, raw entry values included.
 */
final class TextRecord implements TracepointRecord {
    private static final PayloadWord[] WORD_OF = new PayloadWord[Field.values().length];

    static {
        for (Field f : Field.values()) {
            WORD_OF[f.ordinal()] = PayloadWord.valueOf(f.name());
        }
    }

    private ScannedChunk chunk;
    private int line;
    private Payload payload;
    private Tracepoint tracepoint;

    /** Refills the record from line {@code i} of a scanned chunk, an event line. */
    void fill(ScannedChunk c, int i) {
        chunk = c;
        line = i;
        tracepoint = c.tracepoint[i];
        payload = c.payloads;
        if (tracepoint != Tracepoint.OTHER) {
            payload.select(c.payload[i]);
        }
    }

    @Override
    public Tracepoint tracepoint() {
        return tracepoint;
    }

    @Override
    public String name() {
        return tracepoint == Tracepoint.OTHER ? chunk.eventName(line) : tracepoint.text();
    }

    @Override
    public int cpu() {
        return chunk.cpu[line];
    }

    @Override
    public long timestampNs() {
        return chunk.timestampNs[line];
    }

    @Override
    public int pid() {
        return chunk.pid[line];
    }

    @Override
    public boolean rawEntryValues() {
        return payload.isKeyValue();
    }

    @Override
    public String describe() {
        return payload.raw();
    }

    @Override
    public boolean has(Field field) {
        if (!payload.isKeyValue()) {
            switch (field) {
                case KERNEL:
                    return payload.has(PayloadWord.KERNEL) || payload.has(PayloadWord.USER);
                case PINNED:
                    return payload.has(PayloadWord.PINNED) || payload.has(PayloadWord.UNPINNED);
                case MODE:
                    return payload.has(PayloadWord.LAZY_MMU) || payload.has(PayloadWord.LAZY_NONE)
                            || payload.has(PayloadWord.LAZY_CPU);
                case FLUSH:
                    return payload.has(PayloadWord.YES) || payload.has(PayloadWord.NO);
                case FLAGS:
                    return payload.has(PayloadWord.FLAGS);
                default:
                    break;
            }
        }
        return payload.hasValue(WORD_OF[field.ordinal()]);
    }

    @Override
    public boolean isSymbol(Field field) {
        int f = payload.valueOf(WORD_OF[field.ordinal()]);
        return f >= 0 && field.radix() == Field.Radix.HEX && !payload.isKeyValue() && !payload.hasHexPrefix(f)
                && isPrintedWith0x(field);
    }

    /** The fields printed with {@code 0x%lx} or {@code %ps}: without the 0x they are a symbol. */
    private static boolean isPrintedWith0x(Field field) {
        return field == Field.ADDRESS || field == Field.IP;
    }

    @Override
    public long number(Field field) {
        PayloadWord key = WORD_OF[field.ordinal()];
        if (!payload.isKeyValue()) {
            switch (field) {
                case KERNEL:
                    return word(key, PayloadWord.KERNEL, 1, PayloadWord.USER, 0);
                case PINNED:
                    return word(key, PayloadWord.PINNED, 1, PayloadWord.UNPINNED, 0);
                case FLUSH:
                    return word(key, PayloadWord.YES, 1, PayloadWord.NO, 0);
                case MODE:
                    if (payload.has(PayloadWord.LAZY_CPU)) {
                        return 2; // PARAVIRT_LAZY_CPU
                    }
                    return word(key, PayloadWord.LAZY_MMU, 1, PayloadWord.LAZY_NONE, 0);
                default:
                    break;
            }
        }
        int f = present(key);
        if (payload.numberRead(f)) {
            return payload.number(f); // read by the same rule as below, when the line was split
        }
        if (field.radix() == Field.Radix.POINTER && payload.valueStartsWith(f, "(")) {
            return unprintedPointer(f, key);
        }
        int from = payload.valueStart(f);
        int digits = Payload.hexDigitsFrom(field.radix(), payload.isKeyValue(), payload.bytes(), from,
                payload.valueEnd(f));
        return digits < 0 ? parseDecimal(f, key) : parseHex(f, digits - from, key);
    }

    /** A field the kernel prints as one of two words. */
    private long word(PayloadWord key, PayloadWord one, long oneValue, PayloadWord other, long otherValue) {
        if (payload.has(one)) {
            return oneValue;
        }
        if (payload.has(other)) {
            return otherValue;
        }
        throw new FieldException(key.text(), "expected '" + one.text() + "' or '" + other.text() + "' in "
                + quote(payload.raw()));
    }

    /** A %p value in parentheses: (null)/(nil) for 0; (____ptrval____) is a hash not yet keyed. */
    private long unprintedPointer(int f, PayloadWord key) {
        if (payload.valueIsNullPointer(f)) {
            return 0;
        }
        throw new FieldException(key.text(), "pointer printed as " + quote(payload.valueText(f))
                + " (hashed before the hash key was ready): " + KernelPointers.HASH_FIX);
    }

    /** The field holding {@code key}'s value; a missing one is bad input. */
    private int present(PayloadWord key) {
        int f = payload.valueOf(key);
        if (f < 0) {
            throw new FieldException(key.text(), "missing in " + quote(payload.raw()));
        }
        return f;
    }

    /**
     * The value of field {@code f} as hex after {@code skip} prefix bytes, read from the bytes.
     * Anything but 1 to 16 ASCII hex digits goes to {@link Hex#valueOf}, which either refuses it or
     * (for digits beyond ASCII, which {@link Character#digit} accepts) reads it.
     */
    private long parseHex(int f, int skip, PayloadWord key) {
        int from = payload.valueStart(f) + skip;
        int to = payload.valueEnd(f);
        if (Hex.isNumber(payload.bytes(), from, to)) {
            return Hex.value(payload.bytes(), from, to);
        }
        String v = payload.valueText(f);
        return Hex.valueOf(v, skip).orElseThrow(() -> new FieldException(key.text(), "bad hex " + quote(v)));
    }

    /** A decimal value, optionally negative, wrapping like the unsigned 64-bit value it prints. */
    private long parseDecimal(int f, PayloadWord key) {
        byte[] b = payload.bytes();
        int from = payload.valueStart(f);
        int to = payload.valueEnd(f);
        if (!Decimal.isSignedNumber(b, from, to)) {
            throw new FieldException(key.text(), "bad number " + quote(payload.valueText(f)));
        }
        return Decimal.signedValue(b, from, to);
    }
}
