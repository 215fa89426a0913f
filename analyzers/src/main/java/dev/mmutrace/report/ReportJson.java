package dev.mmutrace.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.analyze.CostTable;
import java.io.UncheckedIOException;

/**
 * The JSON report, the machine contract (docs/report-format.md). Keys are snake_case and sorted
 * alphabetically at every level, two-space indented, one trailing newline: the same reports give
 * the same bytes. One trace gives a single report object; several give {@code reports} plus a
 * {@code summary}.
 */
public final class ReportJson {
    /** The value of the top-level {@code format} key; bumped when a key changes meaning or goes away. */
    public static final String FORMAT = "mmutrace-report/1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .serializationInclusion(JsonInclude.Include.NON_ABSENT)
            .build();

    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private ReportJson() {
    }

    /** One trace's report as a file of its own. */
    record Single(String format, ReportOptions options, CostTable costTable, TraceInfo trace,
            ImmutableSortedMap<String, ModelReport> models) {
    }

    /** Several traces' reports in input order, and their summary. */
    record Multi(String format, ReportOptions options, CostTable costTable, ImmutableList<TraceReport> reports,
            Summary summary) {
    }

    /** The JSON text of a batch: a single report for one trace, reports and summary for several. */
    public static String write(ReportBatch batch) {
        if (batch.reports().size() == 1) {
            return write(batch, batch.reports().get(0));
        }
        return text(new Multi(FORMAT, batch.options(), batch.costTable(), batch.reports(), batch.summary()));
    }

    /** One trace of a batch as a single report. */
    public static String write(ReportBatch batch, TraceReport report) {
        return text(new Single(FORMAT, batch.options(), batch.costTable(), report.trace(), report.models()));
    }

    /** A batch's summary alone: what {@code --out DIR} writes beside the per-trace reports. */
    record SummaryOnly(String format, ReportOptions options, CostTable costTable, Summary summary) {
    }

    public static String writeSummary(ReportBatch batch) {
        return text(new SummaryOnly(FORMAT, batch.options(), batch.costTable(), batch.summary()));
    }

    /** The compact form for embedding (the HTML page). */
    static String compact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any value in the report's JSON style (sorted snake_case keys, two-space indent, final newline). */
    public static String text(Object value) {
        try {
            return WRITER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mapper for reading reports back (the diff). */
    public static ObjectMapper reader() {
        return MAPPER;
    }
}
