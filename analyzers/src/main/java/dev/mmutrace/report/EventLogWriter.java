package dev.mmutrace.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.mmutrace.replay.AccessRequest;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.trace.TraceEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The per-event log (SPEC §5): one JSON line per trace event, per implied retry, and one for what
 * models said at the end, each with what every model did for it. A line looks like
 *
 * <pre>{"index":7,"event":{"type":"flush_tlb","cpu":0,...},"models":{"native":[{"type":"flush",...}]}}</pre>
 *
 * <p>a retry line has {@code "retry"} (the access) in place of {@code "event"} and the page
 * fault's index, and the last line is {@code {"index":N,"end":true,"models":{...}}}. Keys come in
 * a fixed order (index, event/retry/end, models; model names sorted; record fields in declaration
 * order, snake_case), addresses as {@code "0x..."} strings (absent ones as null), so the same
 * replay writes the same bytes.
 *
 * <p>Models named at construction always appear (with an empty list when silent); others appear
 * when they say something. The writer is a {@link ReplayListener}: hand it to the
 * {@link dev.mmutrace.replay.ReplayEngine}, then {@link #close()} it.
 */
public final class EventLogWriter implements ReplayListener, AutoCloseable {
    /** Record fields written as hex addresses; -1 there means absent and is written as null. */
    private static final Set<String> ADDRESS_FIELDS = Set.of("vaddr", "vaddrEnd", "entryGpa", "userEntryGpa",
            "value", "mm", "pgd", "tableGpa", "pfn", "mfn", "cr3", "evictedCr3", "ip", "cpus", "errorCode");

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final Writer out;
    private final JsonGenerator json;
    private final List<String> namedModels;
    private final TreeMap<String, List<Observation>> said = new TreeMap<>();
    private final ClassValue<RecordComponent[]> components = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return type.getRecordComponents();
        }
    };

    /** Writes to {@code out}, which the caller closes. */
    public EventLogWriter(Writer out) {
        this(out, List.of());
    }

    /** Writes to {@code out}, which the caller closes; {@code models} appear on every line even when silent. */
    public EventLogWriter(Writer out, List<String> models) {
        this.out = requireNonNull(out, "out");
        this.namedModels = List.copyOf(models);
        try {
            this.json = new JsonFactory().createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.setRootValueSeparator(new SerializedString("\n"));
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        reset();
    }

    private void reset() {
        said.clear();
        for (String m : namedModels) {
            said.put(m, new ArrayList<>());
        }
    }

    private TraceEvent current;
    private AccessRequest retry;

    @Override
    public void onEventStart(long index, TraceEvent event) {
        current = event;
    }

    @Override
    public void onObservation(String model, Observation observation) {
        said.computeIfAbsent(model, k -> new ArrayList<>()).add(observation);
    }

    @Override
    public void onEventEnd(long index) {
        line(index, "event", (Record) current);
        current = null;
    }

    @Override
    public void onRetryStart(long faultIndex, AccessRequest access) {
        retry = access;
    }

    @Override
    public void onRetryEnd(long faultIndex) {
        line(faultIndex, "retry", retry);
        retry = null;
    }

    @Override
    public void onEnd(long events) {
        try {
            json.writeStartObject();
            json.writeNumberField("index", events);
            json.writeBooleanField("end", true);
            models();
            json.writeEndObject();
            json.flush();
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reset();
    }

    private void line(long index, String what, Record subject) {
        try {
            json.writeStartObject();
            json.writeNumberField("index", index);
            json.writeFieldName(what);
            json.writeStartObject();
            if (subject instanceof TraceEvent e) {
                json.writeStringField("type", e.type().wireName());
            }
            fields(subject);
            json.writeEndObject();
            models();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reset();
    }

    private void models() throws IOException {
        json.writeObjectFieldStart("models");
        for (var e : said.entrySet()) {
            json.writeArrayFieldStart(e.getKey());
            for (Observation o : e.getValue()) {
                json.writeStartObject();
                json.writeStringField("type", snake(o.getClass().getSimpleName()));
                fields((Record) o);
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private void fields(Record r) throws IOException {
        for (RecordComponent c : components.get(r.getClass())) {
            String name = c.getName();
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + name + " of " + r.getClass().getSimpleName(), e);
            }
            json.writeFieldName(snake(name));
            value(name, v);
        }
    }

    private void value(String name, Object v) throws IOException {
        if (v instanceof Long l) {
            if (ADDRESS_FIELDS.contains(name)) {
                if (l == TraceEvent.NO_ADDRESS) {
                    json.writeNull();
                } else {
                    json.writeString("0x" + Long.toHexString(l));
                }
            } else {
                json.writeNumber(l);
            }
        } else if (v instanceof Integer i) {
            if (ADDRESS_FIELDS.contains(name)) {
                json.writeString("0x" + Integer.toHexString(i));
            } else {
                json.writeNumber(i);
            }
        } else if (v instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (v instanceof OptionalLong o) {
            // a gap's lost_events: null when the tracer did not say how many
            if (o.isPresent()) {
                json.writeNumber(o.getAsLong());
            } else {
                json.writeNull();
            }
        } else if (v instanceof Enum<?> e) {
            json.writeString(wireName(e));
        } else if (v == null) {
            json.writeNull();
        } else {
            json.writeString(v.toString());
        }
    }

    /** An enum's wire name when it has one (trace vocabulary), else its lower-case name. */
    private static String wireName(Enum<?> e) {
        try {
            return (String) e.getClass().getMethod("wireName").invoke(e);
        } catch (ReflectiveOperationException | ClassCastException ignored) {
            return e.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code entryGpa} -> {@code entry_gpa}, {@code MissedFlush} -> {@code missed_flush}: as the JSON report's keys. */
    static String snake(String camel) {
        return SNAKE_CASE.translate(camel);
    }

    /** Flushes what is written; closes the file when this writer opened it. */
    @Override
    public void close() throws IOException {
        json.flush();
        out.flush();
    }
}
