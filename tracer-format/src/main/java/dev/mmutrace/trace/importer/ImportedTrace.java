package dev.mmutrace.trace.importer;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.AbstractIterator;
import com.google.common.collect.ImmutableMap;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventValidator;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Another tool's trace read as a trace: an importer's {@link TracepointSource} of records,
 * translated to trace events by the one {@link XenTranslation}, each checked against the header
 * ({@link EventValidator}) at the place the source names.
 *
 * <p>The header must exist before the first event, yet the input says neither the guest's memory
 * size nor, often, the vCPU count. Each comes from an option when given; the vCPU count otherwise
 * from what the input states (a text preamble, a trace.dat header); and whatever is still missing
 * from a first pass over the input. A stream is read once: when it needs a first pass, or its
 * importer needs a file (trace.dat seeks to each cpu's data), it is first copied to a temporary
 * file, deleted on close, and {@link #summary()} says so.
 */
public final class ImportedTrace extends AbstractIterator<TraceEvent> implements TraceReader {
    private final TracepointSource records;
    private final String source;
    private final TraceHeader header;
    private final XenTranslation translation;
    private final ImportSummary.Tally tally;
    private final String vcpusFrom;
    private final String pfnLimitFrom;
    private final PagingMode mode;
    private final EventValidator validator;
    private final Optional<Path> spooled;
    private final boolean lenient;
    private boolean recordsSeen;
    private String firstDamaged = "";
    private int maxCpu = -1;
    private long maxPfn = -1;

    private ImportedTrace(TracepointSource records, ImportSummary.Tally tally, String source, ImportOptions options,
            int vcpus, String vcpusFrom, long pfnLimit, String pfnLimitFrom, String importer, Optional<Path> spooled) {
        this.records = records;
        this.tally = tally;
        this.source = source;
        this.mode = options.mode();
        this.vcpusFrom = vcpusFrom;
        this.pfnLimitFrom = pfnLimitFrom;
        this.spooled = spooled;
        this.lenient = options.lenient();
        // initial memory stays unknown (the default): a kernel trace starts mid-run
        TraceHeader h = TraceHeader.defaults(options.mode(), vcpus, pfnLimit)
                .withProducer("linux-ftrace", records.producerVersion());
        ImmutableMap<String, String> labels = ImmutableMap.<String, String>builder()
                .putAll(options.labels()).put("imported-from", importer).buildKeepingLast();
        this.header = new TraceHeader(h.pagingMode(), h.vcpus(), h.pfnLimit(),
                options.directMapBase(), h.initMmPgd(), h.p2m(), h.cpuFeatures(), h.accessMode(),
                h.initialMemory(), h.producer(), h.producerVersion(), labels);
        this.translation = new XenTranslation(options, pfnLimit, tally);
        this.validator = new EventValidator(header);
    }

    /** Imports a regular file, with a first pass when a count must be inferred. */
    public static ImportedTrace open(TraceImporter importer, Path file, ImportOptions options) {
        return open(importer, file, file.toString(), options, Optional.empty());
    }

    /**
     * Imports a stream (standard input, a FIFO): in one pass when the importer reads streams and
     * the options give the vCPU count and pfn limit, else from a temporary copy.
     */
    public static ImportedTrace open(TraceImporter importer, InputStream in, String source, ImportOptions options) {
        requireNonNull(options, "options");
        boolean onePass = importer.readsStreams() && options.vcpus() != ImportOptions.INFER
                && options.pfnLimit() != ImportOptions.INFER;
        if (onePass) {
            ImportSummary.Tally tally = new ImportSummary.Tally();
            return create(importer.open(in, source, tally), tally, source, options, options.vcpus(), "--vcpus option",
                    options.pfnLimit(), "--pfn-limit option", importer.name(), Optional.empty());
        }
        Path copy = spool(in, source);
        try {
            return open(importer, copy, source, options, Optional.of(copy));
        } catch (RuntimeException e) {
            deleteQuietly(copy);
            throw e;
        }
    }

    private static ImportedTrace open(TraceImporter importer, Path file, String source, ImportOptions options,
            Optional<Path> spooled) {
        requireNonNull(options, "options");
        ImportSummary.Tally tally = new ImportSummary.Tally();
        TracepointSource records = importer.open(file, source, tally);
        try {
            String copied = spooled.isPresent() ? " (from a temporary copy of the stream)" : "";
            int vcpus = options.vcpus();
            String vcpusFrom = "--vcpus option";
            if (vcpus == ImportOptions.INFER && records.statedCpus() > 0) {
                vcpus = records.statedCpus();
                vcpusFrom = records.statedCpusFrom() + " (" + vcpus + " cpus)";
            }
            long pfnLimit = options.pfnLimit();
            String pfnLimitFrom = "--pfn-limit option";
            if (vcpus == ImportOptions.INFER || pfnLimit == ImportOptions.INFER) {
                long[] seen = firstPass(importer, file, source, options);
                if (vcpus == ImportOptions.INFER) {
                    vcpus = (int) Math.max(1, seen[0] + 1);
                    vcpusFrom = "highest cpu in the trace + 1 (first pass" + copied + ")";
                }
                if (pfnLimit == ImportOptions.INFER) {
                    pfnLimit = Math.max(1, seen[1] + 1);
                    pfnLimitFrom = "highest pfn the trace names + 1 (first pass" + copied
                            + "): no pfn can show as beyond memory";
                }
            }
            return create(records, tally, source, options, vcpus, vcpusFrom, pfnLimit, pfnLimitFrom, importer.name(),
                    spooled);
        } catch (RuntimeException e) {
            records.close();
            throw e;
        }
    }

    private static ImportedTrace create(TracepointSource records, ImportSummary.Tally tally, String source,
            ImportOptions options, int vcpus, String vcpusFrom, long pfnLimit, String pfnLimitFrom, String importer,
            Optional<Path> spooled) {
        if (vcpus > TraceHeader.MAX_VCPUS) {
            records.close();
            throw TraceInputException.ofFile(source, "the trace names " + vcpus + " cpus, more than the "
                    + TraceHeader.MAX_VCPUS + " a trace can hold: give --vcpus");
        }
        return new ImportedTrace(records, tally, source, options, vcpus, vcpusFrom, pfnLimit, pfnLimitFrom, importer,
                spooled);
    }

    /** {highest cpu, highest pfn} over the whole input, read with every limit open. */
    private static long[] firstPass(TraceImporter importer, Path file, String source, ImportOptions options) {
        ImportOptions open = options.withVcpus(TraceHeader.MAX_VCPUS).withPfnLimit(Long.MAX_VALUE >>> 12);
        ImportSummary.Tally tally = new ImportSummary.Tally();
        try (ImportedTrace r = new ImportedTrace(importer.open(file, source, tally), tally, source, open,
                TraceHeader.MAX_VCPUS, "", Long.MAX_VALUE >>> 12, "", importer.name(), Optional.empty())) {
            while (r.hasNext()) {
                r.noteExtent(r.next());
            }
            return new long[] {r.maxCpu, r.maxPfn};
        }
    }

    private static Path spool(InputStream in, String source) {
        try {
            Path copy = Files.createTempFile("mmutrace-import-", ".spool");
            try {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                deleteQuietly(copy);
                throw e;
            }
            return copy;
        } catch (IOException e) {
            throw TraceInputException.ofFile(source, "cannot copy the stream to a temporary file: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file left behind is not worth failing an import that has its answer
        }
    }

    @Override
    public TraceHeader header() {
        return header;
    }

    @Override
    public String source() {
        return source;
    }

    /** What the import has done so far; complete once the reader is exhausted. */
    public ImportSummary summary() {
        return tally.snapshot(source, records.unit().word(), vcpusFrom, pfnLimitFrom);
    }

    @Override
    protected TraceEvent computeNext() {
        while (advance()) {
            Optional<Loss> loss = records.loss();
            if (loss.isPresent()) {
                return gap(loss.get());
            }
            recordsSeen = true;
            TraceEvent e;
            try {
                e = eventOf(records.record());
            } catch (TraceInputException bad) {
                if (!skipsDamaged(bad)) {
                    throw bad;
                }
                e = null;
            }
            if (e != null) {
                return e;
            }
        }
        if (!recordsSeen) {
            // an input with no tracepoint at all is not an empty trace but the wrong input
            throw TraceInputException.ofFile(source, "no ftrace events found (not one tracepoint " + records.unit().word()
                    + " in the input)");
        }
        return endOfData();
    }

    /** The source's next record; a damaged text line is skipped (and counted) when lenient. */
    private boolean advance() {
        while (true) {
            try {
                return records.advance();
            } catch (TraceInputException bad) {
                if (!skipsDamaged(bad)) {
                    throw bad;
                }
            }
        }
    }

    /**
     * With {@code --lenient}, a text line that cannot be read (cut short, damaged) is counted and
     * skipped; a binary file's damage is never skipped, as what follows it cannot be trusted.
     */
    private boolean skipsDamaged(TraceInputException bad) {
        if (!lenient || bad.unit() != TraceInputException.Unit.LINE) {
            return false;
        }
        if (firstDamaged.isEmpty()) {
            firstDamaged = "line " + bad.position() + (bad.field().isEmpty() ? "" : ", field '" + bad.field() + "'")
                    + ": " + bad.problem();
        }
        tally.skipped("damaged or cut lines (--lenient), the first at " + firstDamaged);
        return true;
    }

    /**
     * The gap where the tracer lost events of a cpu. The tracer never says when it lost them, only
     * that it was before that cpu's next record, so the gap has no timestamp.
     */
    private TraceEvent gap(Loss loss) {
        if (loss.cpu() >= header.vcpus()) {
            throw at("cpu", "lost events of cpu " + loss.cpu() + " but the trace has " + header.vcpus() + " vCPUs ("
                    + vcpusFrom + ")");
        }
        translation.lost(loss.cpu());
        tally.lost(loss.cpu(), loss.count());
        Gap gap;
        try {
            gap = new Gap(loss.cpu(), TraceEvent.NO_TIMESTAMP, loss.count());
        } catch (IllegalArgumentException ex) {
            throw at("lost_events", ex.getMessage());
        }
        validator.check(gap, source, records.unit(), records.position());
        tally.emitted(gap.type());
        return gap;
    }

    /** The event of one record, or null when it is skipped (and counted). */
    private TraceEvent eventOf(TracepointRecord r) {
        int cpu = r.cpu();
        if (cpu >= header.vcpus()) {
            throw at("cpu", "cpu " + cpu + " but the trace has " + header.vcpus() + " vCPUs (" + vcpusFrom + ")");
        }
        TraceEvent e;
        try {
            e = translation.translate(r);
        } catch (FieldException ex) {
            throw at(ex.field(), ex.problem());
        } catch (IllegalArgumentException ex) {
            throw at(r.tracepoint().text(), ex.getMessage());
        }
        if (e != null) {
            validator.check(e, source, records.unit(), records.position());
            tally.emitted(e.type());
        }
        return e;
    }

    private TraceInputException at(String field, String problem) {
        return new TraceInputException(source, records.unit(), records.position(), field, problem);
    }

    /** Records the highest cpu and pfn an event names (the first pass). */
    private void noteExtent(TraceEvent e) {
        maxCpu = Math.max(maxCpu, e.cpu());
        if (e instanceof SetPte s) {
            notePfns(s.entryGpa(), s.value());
        } else if (e instanceof SetPteAt s) {
            notePfns(s.entryGpa(), s.value());
            maxPfn = Math.max(maxPfn, s.mm() >>> 12);
        } else if (e instanceof PtepModifyProt s) {
            notePfns(s.entryGpa(), s.value());
            maxPfn = Math.max(maxPfn, s.mm() >>> 12);
        } else if (e instanceof SetPmd s) {
            notePfns(s.entryGpa(), s.value());
        } else if (e instanceof SetPud s) {
            notePfns(s.entryGpa(), s.value());
        } else if (e instanceof SetPgd s) {
            notePfns(s.entryGpa(), s.value());
            if (s.hasUserEntry()) {
                maxPfn = Math.max(maxPfn, s.userEntryGpa() >>> 12);
            }
        } else if (e instanceof AllocPt a) {
            maxPfn = Math.max(maxPfn, a.pfn());
        } else if (e instanceof ReleasePt r) {
            maxPfn = Math.max(maxPfn, r.pfn());
        } else if (e instanceof Pin p) {
            maxPfn = Math.max(maxPfn, p.tableGpa() >>> 12);
        } else if (e instanceof Unpin u) {
            maxPfn = Math.max(maxPfn, u.tableGpa() >>> 12);
        } else if (e instanceof WriteCr3 w) {
            maxPfn = Math.max(maxPfn, w.pgd() >>> 12);
        }
    }

    private void notePfns(long entryGpa, long value) {
        maxPfn = Math.max(maxPfn, entryGpa >>> 12);
        if ((value & 1) != 0) {
            long frameMask = mode == PagingMode.TWO_LEVEL ? 0xffff_f000L : 0x000f_ffff_ffff_f000L;
            maxPfn = Math.max(maxPfn, (value & frameMask) >>> 12);
        }
    }

    @Override
    public void close() {
        try {
            records.close();
        } finally {
            spooled.ifPresent(ImportedTrace::deleteQuietly);
        }
    }
}
