package dev.mmutrace.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmutrace.report.ReportJson;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The table's schema, the union of its rows' keys, typed as Spark's JSON schema inference types
 * them (an integer {@code long}, a string {@code string}, an object a {@code struct} of its keys in
 * name order; a key whose types differ between rows {@code double} for integers and decimals, else
 * {@code string}), with {@link CorpusRow#TRACE_COLUMNS} first. Found per trace on the executors and
 * added up together with the summary, in the pass that replays the corpus, so the table is written
 * without a pass of its own over the rows to infer it. Every column is nullable: a key only some
 * rows have is null in the others.
 */
final class RowSchema {
    private static final ObjectMapper MAPPER = ReportJson.reader();

    private RowSchema() {
    }

    /** The schema of one trace's rows. */
    static StructType of(List<String> rows) {
        StructType schema = new StructType();
        for (String row : rows) {
            try {
                schema = union(schema, (StructType) typeOf(MAPPER.readTree(row)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e); // the rows are this module's own JSON
            }
        }
        return schema;
    }

    /** The two schemas' columns together, in table order. */
    static StructType union(StructType a, StructType b) {
        return traceColumnsFirst((StructType) merge(a, b));
    }

    private static DataType typeOf(JsonNode value) {
        if (value.isObject()) {
            Map<String, DataType> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getValue().isNull()) {
                    fields.put(f.getKey(), typeOf(f.getValue()));
                }
            }
            return struct(fields);
        }
        if (value.canConvertToLong() && value.isIntegralNumber()) {
            return DataTypes.LongType;
        }
        if (value.isNumber()) {
            return DataTypes.DoubleType;
        }
        if (value.isBoolean()) {
            return DataTypes.BooleanType;
        }
        return DataTypes.StringType;
    }

    private static DataType merge(DataType a, DataType b) {
        if (a.equals(b)) {
            return a;
        }
        if (a instanceof StructType sa && b instanceof StructType sb) {
            Map<String, DataType> fields = new TreeMap<>();
            for (StructField f : sa.fields()) {
                fields.put(f.name(), f.dataType());
            }
            for (StructField f : sb.fields()) {
                fields.merge(f.name(), f.dataType(), RowSchema::merge);
            }
            return struct(fields);
        }
        boolean numbers = (a == DataTypes.LongType || a == DataTypes.DoubleType)
                && (b == DataTypes.LongType || b == DataTypes.DoubleType);
        return numbers ? DataTypes.DoubleType : DataTypes.StringType;
    }

    private static StructType struct(Map<String, DataType> fields) {
        List<StructField> list = new ArrayList<>();
        fields.forEach((name, type) -> list.add(DataTypes.createStructField(name, type, true)));
        return DataTypes.createStructType(list);
    }

    private static StructType traceColumnsFirst(StructType schema) {
        Map<String, StructField> byName = new LinkedHashMap<>();
        for (StructField f : schema.fields()) {
            byName.put(f.name(), f);
        }
        List<StructField> columns = new ArrayList<>();
        for (String c : CorpusRow.TRACE_COLUMNS) {
            if (byName.containsKey(c)) {
                columns.add(byName.remove(c));
            }
        }
        columns.addAll(byName.values());
        return DataTypes.createStructType(columns);
    }
}
