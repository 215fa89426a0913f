package dev.mmutrace.trace.io;

import static dev.mmutrace.trace.TraceInputException.quote;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
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
import dev.mmutrace.trace.proto.Header;
import dev.mmutrace.trace.proto.Label;
import java.util.HashSet;
import java.util.Map;

/** {@link TraceHeader} to and from the {@code mmutrace.v1.Header} message (record 0 of a binary trace). */
final class HeaderMessages {
    private static final long HEADER_RECORD = 0;

    /** The header's fields as both formats and error messages spell them. */
    static final ImmutableSet<String> FIELD_NAMES = ImmutableSet.of("format_version", "paging_mode", "vcpus",
            "pfn_limit", "page_offset", "init_mm_pgd", "p2m", "cpu_features", "max_phys_addr", "access_mode",
            "initial_memory", "producer", "producer_version", "labels");

    private HeaderMessages() {
    }

    /** The header message of a file in binary format {@code version}. */
    static Header toMessage(TraceHeader h, int version) {
        Header.Builder b = Header.newBuilder()
                .setFormatVersion(version)
                .setPagingModeValue(h.pagingMode().ordinal() + 1)
                .setVcpus(h.vcpus())
                .setPfnLimit(h.pfnLimit())
                .setPageOffset(h.pageOffset())
                .setAccessModeValue(h.accessMode().ordinal() + 1)
                .setInitialMemoryValue(h.initialMemory().ordinal())
                .setProducer(h.producer())
                .setProducerVersion(h.producerVersion());
        if (h.hasInitMmPgd()) {
            b.setInitMmPgd(h.initMmPgd());
        }
        var p2m = b.getP2MBuilder().setPolicyValue(h.p2m().policy().ordinal() + 1);
        for (Map.Entry<Long, Long> e : h.p2m().table().entrySet()) {
            p2m.addPfns(e.getKey()).addMfns(e.getValue());
        }
        CpuFeatures f = h.cpuFeatures();
        b.getCpuFeaturesBuilder().setNxe(f.nxe()).setWp(f.wp()).setPse(f.pse()).setPge(f.pge())
                .setSmep(f.smep()).setSmap(f.smap()).setMaxPhysAddr(f.maxPhyAddr());
        for (Map.Entry<String, String> e : h.labels().entrySet()) {
            b.addLabels(Label.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return b.build();
    }

    static TraceHeader toHeader(Header m, int preambleVersion, String source) {
        if (m.getFormatVersion() != preambleVersion) {
            throw TraceInputException.atRecord(source, HEADER_RECORD, "format_version",
                    "the header says " + m.getFormatVersion() + " but the preamble says " + preambleVersion);
        }
        PagingMode mode = PagingMode.values()[
                EventMessages.wireEnum(m.getPagingModeValue(), 3, "paging_mode", source, HEADER_RECORD)];
        AccessMode access = AccessMode.values()[
                EventMessages.wireEnum(m.getAccessModeValue(), 2, "access_mode", source, HEADER_RECORD)];
        InitialMemory initial = initialMemory(m.getInitialMemoryValue(), source);
        if (!m.hasCpuFeatures()) {
            throw TraceInputException.atRecord(source, HEADER_RECORD, "cpu_features", "missing");
        }
        try {
            var f = m.getCpuFeatures();
            CpuFeatures features = new CpuFeatures(f.getNxe(), f.getWp(), f.getPse(), f.getPge(), f.getSmep(),
                    f.getSmap(), f.getMaxPhysAddr());
            return new TraceHeader(mode, m.getVcpus(), m.getPfnLimit(),
                    m.hasPageOffset() ? m.getPageOffset() : mode.defaultPageOffset(),
                    m.hasInitMmPgd() ? m.getInitMmPgd() : TraceEvent.NO_ADDRESS,
                    m.hasP2M() ? p2m(m, source) : P2m.PERMUTATION,
                    features, access, initial, m.getProducer(), m.getProducerVersion(), labels(m, source));
        } catch (IllegalArgumentException refusal) {
            throw headerRejection(refusal, source, Unit.RECORD, HEADER_RECORD);
        }
    }

    /** Schema value n is the Java constant of ordinal n: 0 (absent, as in older files) is unknown. */
    private static InitialMemory initialMemory(int number, String source) {
        if (number < 0 || number >= InitialMemory.values().length) {
            throw TraceInputException.atRecord(source, HEADER_RECORD, "initial_memory", "unknown value " + number);
        }
        return InitialMemory.values()[number];
    }

    private static P2m p2m(Header m, String source) {
        var p = m.getP2M();
        P2m.Policy policy = P2m.Policy.values()[
                EventMessages.wireEnum(p.getPolicyValue(), 3, "p2m", source, HEADER_RECORD)];
        if (p.getPfnsCount() != p.getMfnsCount()) {
            throw TraceInputException.atRecord(source, HEADER_RECORD, "p2m",
                    p.getPfnsCount() + " pfns but " + p.getMfnsCount() + " mfns");
        }
        if (policy != P2m.Policy.TABLE) {
            if (p.getPfnsCount() != 0) {
                throw TraceInputException.atRecord(source, HEADER_RECORD, "p2m",
                        "only the table policy lists frames, this is " + policy.wireName());
            }
            return policy == P2m.Policy.IDENTITY ? P2m.IDENTITY : P2m.PERMUTATION;
        }
        ImmutableSortedMap.Builder<Long, Long> table = ImmutableSortedMap.naturalOrder();
        long previous = -1;
        for (int i = 0; i < p.getPfnsCount(); i++) {
            long pfn = p.getPfns(i);
            if (pfn < 0 || (i > 0 && pfn <= previous)) {
                throw TraceInputException.atRecord(source, HEADER_RECORD, "p2m",
                        "pfns must be strictly increasing, got 0x" + Long.toHexString(pfn) + " after 0x"
                                + Long.toHexString(previous));
            }
            previous = pfn;
            table.put(pfn, p.getMfns(i));
        }
        return P2m.table(table.build());
    }

    private static ImmutableMap<String, String> labels(Header m, String source) {
        ImmutableMap.Builder<String, String> labels = ImmutableMap.builder();
        HashSet<String> seen = new HashSet<>();
        for (Label l : m.getLabelsList()) {
            if (!seen.add(l.getKey())) {
                throw TraceInputException.atRecord(source, HEADER_RECORD, "labels",
                        "label " + quote(l.getKey()) + " given twice");
            }
            labels.put(l.getKey(), l.getValue());
        }
        return labels.build();
    }

    /** A header constructor's refusal, its message starting with the field name as TraceHeader writes them. */
    static TraceInputException headerRejection(IllegalArgumentException refusal, String source, Unit unit,
            long position) {
        return TraceInputException.ofRefusal(refusal, FIELD_NAMES, source, unit, position);
    }
}
