package dev.mmutrace.trace.tracedat;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.trace.TraceInputException;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata of a trace-cmd {@code trace.dat} file, versions 6 and 7 (trace-cmd.dat.v6(5),
 * trace-cmd.dat.v7(5)): byte order, long size, the ring buffer's page layout, every event format
 * the file carries, and where each cpu's ring-buffer pages lie. Version 6 lays its metadata out in
 * a fixed order; version 7 in sections found through options, any of which may be compressed.
 * Kernel symbols, printk formats and saved command lines are skipped: the import needs none.
 */
final class TraceDatFile {
    static final byte[] MAGIC = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};

    // v7 option ids (trace-cmd.dat.v7(5))
    private static final int OPTION_DONE = 0;
    private static final int OPTION_BUFFER = 3;
    private static final int OPTION_CPUCOUNT = 8;
    private static final int OPTION_HEADER_INFO = 16;
    private static final int OPTION_FTRACE_EVENTS = 17;
    private static final int OPTION_EVENT_FORMATS = 18;
    private static final int SECTION_COMPRESSED = 1;

    /** Where one cpu's pages lie in the file; {@code size} is what the file holds (compressed or not). */
    record CpuRegion(int cpu, long offset, long size) {
    }

    final String source;
    final FileChannel channel;
    int version;
    boolean bigEndian;
    int longSize;
    int pageSize;
    Compression compression = Compression.NONE;
    /** Whether each cpu's data is compressed in chunks (version 7 with compression). */
    boolean chunked;
    int cpus;
    /** Where a page's data starts and the size of its commit word (from header_page). */
    int pageDataOffset;
    int commitSize;
    final Int2ObjectOpenHashMap<EventFormat> formats = new Int2ObjectOpenHashMap<>();
    final List<CpuRegion> regions = new ArrayList<>();

    private TraceDatFile(FileChannel channel, String source) {
        this.channel = channel;
        this.source = source;
    }

    static TraceDatFile read(FileChannel channel, String source) {
        TraceDatFile f = new TraceDatFile(channel, source);
        f.readHeader();
        return f;
    }

    private void readHeader() {
        InputStream in = streamAt(0);
        byte[] magic = new MetaReader(in, false, source).bytes(MAGIC.length, "magic");
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw TraceInputException.ofFile(source, "not a trace.dat file (no 17 08 44 'tracing' magic)");
        }
        MetaReader plain = new MetaReader(in, false, source);
        String v = plain.cstring("version");
        if (!v.equals("6") && !v.equals("7")) {
            throw TraceInputException.ofFile(source, "trace.dat file version " + v + " (this reader knows 6 and 7)");
        }
        version = Integer.parseInt(v);
        bigEndian = plain.bytes(1, "byte order")[0] != 0;
        longSize = plain.bytes(1, "long size")[0];
        MetaReader meta = new MetaReader(in, bigEndian, source);
        pageSize = (int) meta.u4("page size");
        if (version == 6) {
            readVersion6(meta);
        } else {
            compression = Compression.named(meta.cstring("compression name"), source);
            meta.cstring("compression version");
            readOptions(meta.u8("options offset"));
        }
        if (pageDataOffset == 0) {
            throw TraceInputException.ofFile(source, "no header_page format, so the ring-buffer pages cannot be read");
        }
    }

    private void readVersion6(MetaReader meta) {
        readHeaderInfo(meta);
        readFormats(meta, true);
        readFormats(meta, false);
        meta.skip(meta.u4("kallsyms size"), "kallsyms");
        meta.skip(meta.u4("printk size"), "printk formats");
        meta.skip(meta.u8("cmdlines size"), "saved command lines");
        cpus = (int) meta.u4("cpu count");
        String marker = meta.text(10, "flyrecord marker");
        if (marker.equals("options  \0")) {
            while (true) {
                int id = meta.u2("option id");
                if (id == OPTION_DONE) {
                    break;
                }
                meta.skip(meta.u4("option size"), "option " + id);
            }
            marker = meta.text(10, "flyrecord marker");
        }
        if (marker.startsWith("latency")) {
            throw TraceInputException.ofFile(source, "a latency-tracer trace.dat holds text, not events: import it"
                    + " with trace-cmd report and --from ftrace");
        }
        if (!marker.equals("flyrecord\0")) {
            throw TraceInputException.ofFile(source, "expected 'flyrecord' after the options, found '"
                    + marker.replace("\0", "") + "'");
        }
        for (int cpu = 0; cpu < cpus; cpu++) {
            regions.add(new CpuRegion(cpu, meta.u8("cpu data offset"), meta.u8("cpu data size")));
        }
    }

    /** Version 7: the options sections, chained by each one's DONE option. */
    private void readOptions(long offset) {
        int hops = 0;
        while (offset != 0) {
            if (++hops > 1024) {
                throw TraceInputException.ofFile(source, "options sections chained in a loop");
            }
            MetaReader options = section(offset, OPTION_DONE, "options");
            long next = 0;
            while (true) {
                int id = options.u2("option id");
                long size = options.u4("option size");
                if (id == OPTION_DONE) {
                    next = options.u8("next options offset");
                    break;
                }
                byte[] data = options.bytes(size, "option " + id);
                option(id, new MetaReader(new ByteArrayInputStream(data), bigEndian, source));
            }
            offset = next;
        }
    }

    private void option(int id, MetaReader data) {
        switch (id) {
            case OPTION_HEADER_INFO:
                readHeaderInfo(section(data.u8("header info offset"), id, "header info"));
                break;
            case OPTION_FTRACE_EVENTS:
                readFormats(section(data.u8("ftrace formats offset"), id, "ftrace formats"), true);
                break;
            case OPTION_EVENT_FORMATS:
                readFormats(section(data.u8("event formats offset"), id, "event formats"), false);
                break;
            case OPTION_CPUCOUNT:
                cpus = Math.max(cpus, (int) data.u4("cpu count"));
                break;
            case OPTION_BUFFER:
                readBuffer(data);
                break;
            default:
                break;
        }
    }

    /** A BUFFER option: the top instance's per-cpu data (other instances are not this guest's MMU trace). */
    private void readBuffer(MetaReader data) {
        long sectionOffset = data.u8("buffer section offset");
        String instance = data.cstring("buffer name");
        data.cstring("buffer clock");
        int bufferPage = (int) data.u4("buffer page size");
        int count = (int) data.u4("buffer cpu count");
        if (!instance.isEmpty()) {
            return;
        }
        pageSize = bufferPage;
        ByteBuffer header = readAt(sectionOffset, 16, "buffer section header");
        chunked = (header.getShort(2) & SECTION_COMPRESSED) != 0 && compression != Compression.NONE;
        for (int i = 0; i < count; i++) {
            int cpu = (int) data.u4("buffer cpu id");
            regions.add(new CpuRegion(cpu, data.u8("cpu data offset"), data.u8("cpu data size")));
            cpus = Math.max(cpus, cpu + 1);
        }
    }

    private void readHeaderInfo(MetaReader meta) {
        String page = meta.text(12, "header_page name");
        if (!page.equals("header_page\0")) {
            throw TraceInputException.ofFile(source, "expected header_page, found '" + page.replace("\0", "") + "'");
        }
        String pageFormat = meta.text(meta.u8("header_page size"), "header_page");
        for (String line : pageFormat.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("field:")) {
                continue;
            }
            EventFormat.FormatField f = EventFormat.parseField(l.replace("field: ", "field:"));
            if (f.name().equals("commit")) {
                commitSize = f.size();
            } else if (f.name().equals("data")) {
                pageDataOffset = f.offset();
            }
        }
        String event = meta.text(13, "header_event name");
        if (!event.equals("header_event\0")) {
            throw TraceInputException.ofFile(source, "expected header_event, found '" + event.replace("\0", "") + "'");
        }
        meta.skip(meta.u8("header_event size"), "header_event");
    }

    private void readFormats(MetaReader meta, boolean ftrace) {
        long systems = ftrace ? 1 : meta.u4("event system count");
        for (long s = 0; s < systems; s++) {
            String system = ftrace ? "ftrace" : meta.cstring("event system name");
            long count = meta.u4("event format count");
            for (long e = 0; e < count; e++) {
                String text = meta.text(meta.u8("event format size"), "event format");
                try {
                    EventFormat format = EventFormat.parse(system, text);
                    formats.put(format.id(), format);
                } catch (IllegalArgumentException ex) {
                    throw TraceInputException.ofFile(source, "event format in system '" + system + "': "
                            + ex.getMessage());
                }
            }
        }
    }

    /** A version 7 section's content, decompressed when its flags say so. */
    private MetaReader section(long offset, int expectedId, String what) {
        ByteBuffer header = readAt(offset, 16, what + " section header");
        int id = header.getShort(0) & 0xffff;
        int flags = header.getShort(2) & 0xffff;
        long size = header.getLong(8);
        if (id != expectedId) {
            throw TraceInputException.ofFile(source, what + " section at " + offset + " has id " + id + ", not "
                    + expectedId);
        }
        InputStream in = streamAt(offset + 16);
        if ((flags & SECTION_COMPRESSED) == 0) {
            return new MetaReader(in, bigEndian, source);
        }
        MetaReader raw = new MetaReader(in, bigEndian, source);
        long compressed = raw.u4(what + " compressed size");
        long plain = raw.u4(what + " size");
        if (compressed > size || plain > Integer.MAX_VALUE - 8) {
            throw TraceInputException.ofFile(source, what + " section: impossible sizes " + compressed + "/" + plain);
        }
        byte[] data = compression.decompress(raw.bytes(compressed, what), (int) plain, source, what + " section");
        return new MetaReader(new ByteArrayInputStream(data), bigEndian, source);
    }

    /** The file's length in bytes. */
    long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} bytes at {@code offset}, in the file's byte order; a short read is a truncated file. */
    ByteBuffer readAt(long offset, int n, String what) {
        ByteBuffer b = ByteBuffer.allocate(n).order(bigEndian ? java.nio.ByteOrder.BIG_ENDIAN
                : java.nio.ByteOrder.LITTLE_ENDIAN);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, offset + b.position()) < 0) {
                    throw TraceInputException.ofFile(source, "truncated: the file ends inside its " + what);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.flip();
    }

    private InputStream streamAt(long offset) {
        return new BufferedInputStream(new InputStream() {
            private long position = offset;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = channel.read(ByteBuffer.wrap(b, off, len), position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        }, 1 << 16);
    }

    ImmutableList<CpuRegion> regions() {
        return ImmutableList.copyOf(regions);
    }

    static boolean hasMagic(byte[] head, int length) {
        if (length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
