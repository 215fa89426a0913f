package dev.mmutrace.trace.io;

import static dev.mmutrace.trace.TraceInputException.quote;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.CpuFeatures;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.P2m;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceInputException.Unit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The header of a CSV trace as its leading {@code # key: value} comment lines: written in one
 * fixed order, read in any order, each key once except the repeatable {@code p2m_entry} and
 * {@code label}. Keys a header leaves out take the defaults docs/trace-format.md gives.
 */
final class CsvHeaderLines {
    private static final String[] FEATURES = {"nxe", "wp", "pse", "pge", "smep", "smap"};

    private final String source;
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, Long> lines = new HashMap<>();
    private final TreeMap<Long, Long> p2mEntries = new TreeMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();

    private CsvHeaderLines(String source) {
        this.source = source;
    }

    /** The comment lines for {@code h}, each ending in a newline. */
    static String format(TraceHeader h) {
        StringBuilder b = new StringBuilder(256);
        line(b, "format_version", Integer.toString(CsvLayout.FORMAT_VERSION));
        line(b, "paging_mode", h.pagingMode().wireName());
        line(b, "vcpus", Integer.toString(h.vcpus()));
        line(b, "pfn_limit", CsvCells.hex(h.pfnLimit()));
        line(b, "page_offset", CsvCells.hex(h.pageOffset()));
        if (h.hasInitMmPgd()) {
            line(b, "init_mm_pgd", CsvCells.hex(h.initMmPgd()));
        }
        line(b, "p2m", h.p2m().policy().wireName());
        for (Map.Entry<Long, Long> e : h.p2m().table().entrySet()) {
            line(b, "p2m_entry", CsvCells.hex(e.getKey()) + " " + CsvCells.hex(e.getValue()));
        }
        line(b, "cpu_features", features(h.cpuFeatures()));
        line(b, "max_phys_addr", Integer.toString(h.cpuFeatures().maxPhyAddr()));
        line(b, "access_mode", h.accessMode().wireName());
        line(b, "initial_memory", h.initialMemory().wireName());
        // TraceHeader holds no line break and no label key with '=', so every value fits its line
        line(b, "producer", h.producer());
        line(b, "producer_version", h.producerVersion());
        for (Map.Entry<String, String> e : h.labels().entrySet()) {
            line(b, "label", e.getKey() + "=" + e.getValue());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append("# ").append(key).append(": ").append(value).append('\n');
    }

    private static String features(CpuFeatures f) {
        boolean[] on = {f.nxe(), f.wp(), f.pse(), f.pge(), f.smep(), f.smap()};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < on.length; i++) {
            if (on[i]) {
                b.append(b.length() == 0 ? "" : " ").append(FEATURES[i]);
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    /** Starts collecting the header of {@code source}. */
    static CsvHeaderLines reading(String source) {
        return new CsvHeaderLines(source);
    }

    /** Takes one comment line (without its newline), found at {@code line} of the file. */
    void add(String text, long line) {
        String body = text.substring(1);
        if (body.startsWith(" ")) {
            body = body.substring(1);
        }
        int colon = body.indexOf(':');
        if (colon <= 0) {
            throw TraceInputException.atLine(source, line, TraceInputException.NO_FIELD,
                    "a header line must read '# key: value', got " + quote(text));
        }
        String key = body.substring(0, colon).trim();
        String value = body.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (key) {
            case "p2m_entry":
                p2mEntry(value, line);
                return;
            case "label":
                label(value, line);
                return;
            case "format_version": case "paging_mode": case "vcpus": case "pfn_limit": case "page_offset":
            case "init_mm_pgd": case "p2m": case "cpu_features": case "max_phys_addr": case "access_mode":
            case "initial_memory": case "producer": case "producer_version":
                if (values.containsKey(key)) {
                    throw TraceInputException.atLine(source, line, key,
                            "given twice (first on line " + lines.get(key) + ")");
                }
                values.put(key, value);
                lines.put(key, line);
                if (key.equals("format_version")) {
                    checkVersion(value, line);
                }
                return;
            default:
                throw TraceInputException.atLine(source, line, key, "unknown header field");
        }
    }

    /** A later version may lay the file out differently: stop at its first line that says so. */
    private void checkVersion(String value, long line) {
        long version = CsvCells.parseDecimal(value.trim(), source, line, "format_version");
        if (version < CsvLayout.OLDEST_VERSION || version > CsvLayout.FORMAT_VERSION) {
            throw TraceInputException.atLine(source, line, "format_version", "unknown format version " + version
                    + " (this build reads " + CsvLayout.OLDEST_VERSION + " and " + CsvLayout.FORMAT_VERSION + ")");
        }
    }

    private void p2mEntry(String value, long line) {
        String[] parts = value.trim().split(" +");
        if (parts.length != 2) {
            throw TraceInputException.atLine(source, line, "p2m_entry",
                    "expected '0xPFN 0xMFN', got " + quote(value));
        }
        long pfn = CsvCells.parseHex(parts[0], source, line, "p2m_entry");
        long mfn = CsvCells.parseHex(parts[1], source, line, "p2m_entry");
        if (p2mEntries.put(pfn, mfn) != null) {
            throw TraceInputException.atLine(source, line, "p2m_entry", "pfn " + CsvCells.hex(pfn) + " given twice");
        }
        lines.putIfAbsent("p2m_entry", line);
    }

    private void label(String value, long line) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw TraceInputException.atLine(source, line, "label", "expected 'key=value', got " + quote(value));
        }
        String key = value.substring(0, eq);
        if (labels.put(key, value.substring(eq + 1)) != null) {
            throw TraceInputException.atLine(source, line, "label", "label " + quote(key) + " given twice");
        }
    }

    /**
     * The layout version the lines name (checked as its line was read); the current one when they
     * name none, which {@link #header} then reports as missing.
     */
    int version() {
        String v = values.get("format_version");
        return v == null ? CsvLayout.FORMAT_VERSION : (int) CsvCells.parseDecimal(v.trim(), source, lines.get(
                "format_version"), "format_version");
    }

    /**
     * The header the lines describe; {@code columnRowLine} is where a missing required key is
     * reported.
     */
    TraceHeader header(long columnRowLine) {
        // checked as its line was read; here only its presence
        required("format_version", columnRowLine);
        PagingMode mode = PagingMode.fromWireName(required("paging_mode", columnRowLine).trim())
                .orElseThrow(() -> bad("paging_mode", "unknown paging mode " + quote(values.get("paging_mode"))
                        + " (2level, pae, 4level)"));
        int vcpus = (int) decimal("vcpus", columnRowLine, -1);
        long pfnLimit = hex("pfn_limit", columnRowLine, -1, true);
        long pageOffset = hex("page_offset", columnRowLine, mode.defaultPageOffset(), false);
        long initMmPgd = hex("init_mm_pgd", columnRowLine, TraceEvent.NO_ADDRESS, false);
        P2m p2m = p2m();
        CpuFeatures features;
        AccessMode access = AccessMode.IMPLIED;
        if (values.containsKey("access_mode")) {
            access = AccessMode.fromWireName(values.get("access_mode").trim())
                    .orElseThrow(() -> bad("access_mode", "unknown access mode "
                            + quote(values.get("access_mode")) + " (implied, explicit)"));
        }
        InitialMemory initial = InitialMemory.UNKNOWN;
        if (values.containsKey("initial_memory")) {
            initial = InitialMemory.fromWireName(values.get("initial_memory").trim())
                    .orElseThrow(() -> bad("initial_memory", "unknown initial memory "
                            + quote(values.get("initial_memory")) + " (empty, unknown)"));
        }
        try {
            features = features((int) decimal("max_phys_addr", columnRowLine, CpuFeatures.LINUX_DEFAULT.maxPhyAddr()));
            return new TraceHeader(mode, vcpus, pfnLimit, pageOffset, initMmPgd, p2m, features, access,
                    initial, values.getOrDefault("producer", ""), values.getOrDefault("producer_version", ""),
                    ImmutableMap.copyOf(labels));
        } catch (IllegalArgumentException refusal) {
            TraceInputException e = HeaderMessages.headerRejection(refusal, source, Unit.LINE, columnRowLine);
            Long at = lines.get(e.field());
            throw at == null ? e : new TraceInputException(source, Unit.LINE, at, e.field(), e.problem());
        }
    }

    private CpuFeatures features(int maxPhysAddr) {
        String text = values.get("cpu_features");
        if (text == null) {
            CpuFeatures d = CpuFeatures.LINUX_DEFAULT;
            return new CpuFeatures(d.nxe(), d.wp(), d.pse(), d.pge(), d.smep(), d.smap(), maxPhysAddr);
        }
        boolean[] on = new boolean[FEATURES.length];
        String trimmed = text.trim();
        if (!trimmed.equals("none")) {
            for (String name : trimmed.split(" +")) {
                int i = Arrays.asList(FEATURES).indexOf(name);
                if (i < 0) {
                    throw bad("cpu_features", "unknown feature " + quote(name) + " (nxe wp pse pge smep smap, or none)");
                }
                on[i] = true;
            }
        }
        return new CpuFeatures(on[0], on[1], on[2], on[3], on[4], on[5], maxPhysAddr);
    }

    private P2m p2m() {
        String text = values.get("p2m");
        P2m.Policy policy = text == null ? P2m.Policy.PERMUTATION
                : P2m.Policy.fromWireName(text.trim()).orElseThrow(() -> bad("p2m",
                        "unknown p2m policy " + quote(text) + " (identity, permutation, table)"));
        if (policy != P2m.Policy.TABLE) {
            if (!p2mEntries.isEmpty()) {
                throw TraceInputException.atLine(source, lines.get("p2m_entry"), "p2m_entry",
                        "only the table p2m lists frames, this one is " + policy.wireName());
            }
            return policy == P2m.Policy.IDENTITY ? P2m.IDENTITY : P2m.PERMUTATION;
        }
        return P2m.table(ImmutableSortedMap.copyOfSorted(p2mEntries));
    }

    private String required(String key, long columnRowLine) {
        String v = values.get(key);
        if (v == null) {
            throw TraceInputException.atLine(source, columnRowLine, key,
                    "missing: the header needs a line '# " + key + ": ...' before the column row");
        }
        return v;
    }

    /** A decimal header value; {@code absent} < 0 makes the key required. */
    private long decimal(String key, long columnRowLine, long absent) {
        if (absent < 0) {
            required(key, columnRowLine);
        } else if (!values.containsKey(key)) {
            return absent;
        }
        return CsvCells.parseDecimal(values.get(key).trim(), source, lines.get(key), key);
    }

    private long hex(String key, long columnRowLine, long absent, boolean isRequired) {
        if (isRequired) {
            required(key, columnRowLine);
        } else if (!values.containsKey(key)) {
            return absent;
        }
        return CsvCells.parseHex(values.get(key).trim(), source, lines.get(key), key);
    }

    private TraceInputException bad(String key, String problem) {
        return TraceInputException.atLine(source, lines.get(key), key, problem);
    }
}
