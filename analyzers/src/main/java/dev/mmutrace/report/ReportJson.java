package dev.mmutrace.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.guava.GuavaModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.analyze.CostTable;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.io.InputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON report, the machine contract (docs/report-format.md). Keys are snake_case and sorted
 * alphabetically at every level, two-space indented, one trailing newline: the same reports give
 * the same bytes. One trace gives a single report object; several give {@code reports} plus a
 * {@code summary}.
 */
public final class ReportJson {
    /** The value of the top-level {@code format} key; bumped when a key changes meaning or goes away. */
    public static final String FORMAT = "mmutrace-report/1";

    /**
     * Jackson quotes a bad token or a stretch of the input in its messages, up to 256 and 500
     * characters by default; a message of ours quotes at most {@link TraceInputException#MAX_QUOTED}.
     */
    private static final ErrorReportConfiguration SHORT_QUOTES = ErrorReportConfiguration.builder()
            .maxErrorTokenLength(TraceInputException.MAX_QUOTED)
            .maxRawContentLength(TraceInputException.MAX_QUOTED)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .errorReportConfiguration(SHORT_QUOTES).build())
            .addModule(new Jdk8Module())
            .addModule(new GuavaModule())
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

    /**
     * A report file's JSON, checked to be exactly one JSON document and an mmutrace report of this
     * build's {@link #FORMAT}; anything else is a {@link TraceInputException} naming the file (and
     * the line): a reader that guessed would let a regression gate pass.
     */
    public static JsonNode readTree(Path file) {
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(InputFiles.readUtf8(file))) {
            root = MAPPER.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                throw TraceInputException.atLine(file.toString(), parser.currentLocation().getLineNr(),
                        TraceInputException.NO_FIELD, "more after the report's closing brace (a report file holds"
                                + " exactly one JSON report)");
            }
        } catch (JsonProcessingException e) {
            throw TraceInputException.atLine(file.toString(), e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    TraceInputException.NO_FIELD, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject() || !root.path("format").asText().startsWith("mmutrace-report/")) {
            throw TraceInputException.ofFile(file.toString(), "not an mmutrace JSON report (no 'format' key"
                    + " 'mmutrace-report/N'; make one with mmutrace replay --format json)");
        }
        String format = root.path("format").asText();
        if (!format.equals(FORMAT)) {
            throw TraceInputException.ofFile(file.toString(), "report format " + TraceInputException.quote(format)
                    + " is not one this build reads (" + FORMAT + ")");
        }
        return root;
    }

    /**
     * A report file (one trace's or a batch's) read back into the batch it was written from: the
     * options, the cost table and the reports. Only this build's {@link #FORMAT} reads back; a
     * batch's summary is not read, {@link ReportBatch#summary()} adds it up again.
     */
    public static ReportBatch read(Path file) {
        JsonNode root = readTree(file);
        try {
            if (root.has("reports")) {
                Multi m = MAPPER.treeToValue(root, Multi.class);
                return new ReportBatch(m.options(), m.costTable(), m.reports());
            }
            Single s = MAPPER.treeToValue(root, Single.class);
            return new ReportBatch(s.options(), s.costTable(),
                    ImmutableList.of(new TraceReport(s.trace(), s.models())));
        } catch (JsonMappingException e) {
            // Jackson's own text names the Java classes it was building; the user wrote JSON, so
            // say where in the JSON the report stops being one this build writes.
            throw TraceInputException.ofFile(file.toString(), "not a whole mmutrace report: "
                    + jsonPath(e.getPath()) + " is missing or not what mmutrace writes there");
        } catch (JsonProcessingException e) {
            throw TraceInputException.ofFile(file.toString(), "not a whole mmutrace report");
        }
    }

    /** {@code models.xen.flushes.total}, {@code reports[2].trace}: the place as the report's keys name it. */
    static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? "the top level" : TraceInputException.quote(b.toString());
    }

    /** A mapper for reading reports back (the diff). */
    public static ObjectMapper reader() {
        return MAPPER;
    }
}
