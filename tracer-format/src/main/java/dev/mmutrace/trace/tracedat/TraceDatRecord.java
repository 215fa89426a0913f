package dev.mmutrace.trace.tracedat;

import dev.mmutrace.trace.importer.Field;
import dev.mmutrace.trace.importer.FieldException;
import dev.mmutrace.trace.importer.Tracepoint;
import dev.mmutrace.trace.importer.TracepointRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * A ring-buffer event as a tracepoint record: its fields read from the record's bytes where its
 * format says they lie. Values are the raw ones the kernel stored: pointers unhashed, entry values
 * as the hardware (under Xen PV: the hypervisor) sees them, with machine frames.
 */
public final class TraceDatRecord implements TracepointRecord {
    private final TraceDatFile file;
    private EventFormat format;
    private Tracepoint tracepoint;
    private EventFormat.FormatField[] byField;
    private EventFormat.FormatField pid;
    private ByteBuffer page;
    private int offset;
    private int length;
    private int cpu;
    private long timestampNs;

    TraceDatRecord(TraceDatFile file) {
        this.file = file;
    }

    void fill(Layout layout, ByteBuffer page, int offset, int length, int cpu, long timestampNs) {
        this.format = layout.format;
        this.tracepoint = layout.tracepoint;
        this.byField = layout.byField;
        this.pid = layout.pid;
        this.page = page;
        this.offset = offset;
        this.length = length;
        this.cpu = cpu;
        this.timestampNs = timestampNs;
    }

    /** What the record's fields are, from its format, looked up once per event id. */
    static final class Layout {
        final EventFormat format;
        final Tracepoint tracepoint;
        final EventFormat.FormatField[] byField;
        final EventFormat.FormatField pid;

        Layout(EventFormat format) {
            this.format = format;
            this.tracepoint = format.tracepoint();
            this.byField = format.byField();
            this.pid = format.field("common_pid").orElse(null);
        }
    }

    /** The event's format, as the file describes it. */
    public EventFormat format() {
        return format;
    }

    @Override
    public Tracepoint tracepoint() {
        return tracepoint;
    }

    @Override
    public String name() {
        return format.name();
    }

    @Override
    public int cpu() {
        return cpu;
    }

    @Override
    public long timestampNs() {
        return timestampNs;
    }

    @Override
    public int pid() {
        return pid == null ? -1 : (int) read(pid);
    }

    @Override
    public boolean has(Field field) {
        return byField[field.ordinal()] != null;
    }

    @Override
    public long number(Field field) {
        EventFormat.FormatField f = byField[field.ordinal()];
        if (f == null) {
            throw new FieldException(field.text(), "not in " + format.system() + ":" + format.name()
                    + "'s format in this file");
        }
        return read(f);
    }

    @Override
    public boolean isSymbol(Field field) {
        return false;
    }

    @Override
    public boolean rawEntryValues() {
        return true;
    }

    /** A scalar field by name, sign-extended when the format says it is signed. */
    public long number(String fieldName) {
        return read(format.field(fieldName).orElseThrow(() -> new FieldException(fieldName, "not in "
                + format.name() + "'s format")));
    }

    /** A text field (a char array, fixed or {@code __data_loc}) up to its first NUL. */
    public String text(String fieldName) {
        EventFormat.FormatField f = format.field(fieldName).orElseThrow(() -> new FieldException(fieldName,
                "not in " + format.name() + "'s format"));
        int from = offset + f.offset();
        int size = f.size();
        if (f.dynamic()) {
            long loc = page.getInt(from) & 0xffffffffL;
            from = offset + (int) (loc & 0xffff);
            size = (int) (loc >>> 16);
        }
        check(f.name(), from - offset, size);
        int end = from;
        while (end < from + size && page.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - from];
        page.get(from, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private long read(EventFormat.FormatField f) {
        check(f.name(), f.offset(), f.size());
        int at = offset + f.offset();
        switch (f.size()) {
            case 1:
                return f.signed() ? page.get(at) : page.get(at) & 0xffL;
            case 2:
                return f.signed() ? page.getShort(at) : page.getShort(at) & 0xffffL;
            case 4:
                return f.signed() ? page.getInt(at) : page.getInt(at) & 0xffffffffL;
            case 8:
                return page.getLong(at);
            default:
                throw new FieldException(f.name(), "a " + f.size() + "-byte field is not a number");
        }
    }

    private void check(String field, int at, int size) {
        if (at < 0 || size < 0 || at + size > length) {
            throw new FieldException(field, "lies at bytes " + at + ".." + (at + size) + " of a " + length
                    + "-byte record");
        }
    }

    @Override
    public String describe() {
        StringJoiner j = new StringJoiner(" ", format.name() + ": ", "");
        for (EventFormat.FormatField f : format.fields()) {
            if (f.name().startsWith("common_")) {
                continue;
            }
            try {
                j.add(f.name() + "=" + (f.isText() ? text(f.name()) : f.array() ? "[...]"
                        : "0x" + Long.toHexString(read(f))));
            } catch (FieldException e) {
                j.add(f.name() + "=?");
            }
        }
        return j.toString();
    }
}
