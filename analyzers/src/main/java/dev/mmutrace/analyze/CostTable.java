package dev.mmutrace.analyze;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.WorkCounter;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.io.InputFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Cycles charged per counted thing when a report estimates cost (SPEC §9). The counts are exact;
 * these prices are estimates, each default with its source in docs/cost-model.md, and every report
 * prints the table it used. A {@code key=value} properties file overrides any subset. Beside the
 * fixed keys, {@code modelCosts} holds the keys models declare for their own work
 * ({@link WorkCounter}), priced as they declare unless overridden.
 */
public record CostTable(long hypercall, long exit, long ptwrEmulation, long validatedEntry, long shadowFill,
        long walkLevel, long ipi, long multicallEntry, ImmutableSortedMap<String, Long> modelCosts) {

    /** The defaults of docs/cost-model.md. */
    public static final CostTable DEFAULTS = new CostTable(2000, 2000, 4000, 20, 500, 25, 4000, 200);

    public static final String HYPERCALL = "hypercall";
    public static final String EXIT = "exit";
    public static final String PTWR_EMULATION = "ptwr_emulation";
    public static final String VALIDATED_ENTRY = "validated_entry";
    public static final String SHADOW_FILL = "shadow_fill";
    public static final String WALK_LEVEL = "walk_level";
    public static final String IPI = "ipi";
    public static final String MULTICALL_ENTRY = "multicall_entry";
    /** The fixed keys in the order of the record's components. */
    private static final List<String> FIXED_KEYS = List.of(HYPERCALL, EXIT, PTWR_EMULATION, VALIDATED_ENTRY,
            SHADOW_FILL, WALK_LEVEL, IPI, MULTICALL_ENTRY);

    public CostTable {
        for (long c : new long[] {hypercall, exit, ptwrEmulation, validatedEntry, shadowFill, walkLevel, ipi,
                multicallEntry}) {
            checkArgument(c >= 0, "a cost must be >= 0 cycles, got %s", c);
        }
        for (long c : modelCosts.values()) {
            checkArgument(c >= 0, "a cost must be >= 0 cycles, got %s", c);
        }
    }

    /** A table of the fixed keys only. */
    public CostTable(long hypercall, long exit, long ptwrEmulation, long validatedEntry, long shadowFill,
            long walkLevel, long ipi, long multicallEntry) {
        this(hypercall, exit, ptwrEmulation, validatedEntry, shadowFill, walkLevel, ipi, multicallEntry,
                ImmutableSortedMap.of());
    }

    /**
     * The defaults, with the cost keys the models of this build declare for their own work (a key
     * the table already has keeps its price).
     */
    public static CostTable defaults() {
        Map<String, Long> declared = new TreeMap<>();
        Map<String, Long> fixed = DEFAULTS.asMap();
        for (ModelFactory f : Models.available().values()) {
            for (WorkCounter c : f.counters()) {
                if (!fixed.containsKey(c.costKey())) {
                    declared.putIfAbsent(c.costKey(), c.defaultCycles());
                }
            }
        }
        return DEFAULTS.withModelCosts(declared);
    }

    private CostTable withModelCosts(Map<String, Long> costs) {
        return new CostTable(hypercall, exit, ptwrEmulation, validatedEntry, shadowFill, walkLevel, ipi,
                multicallEntry, ImmutableSortedMap.copyOf(costs));
    }

    /** The table by key, in key order: what reports print (the JSON report's {@code cost_table}). */
    @JsonValue
    public ImmutableSortedMap<String, Long> asMap() {
        return ImmutableSortedMap.<String, Long>naturalOrder()
                .put(HYPERCALL, hypercall).put(EXIT, exit).put(PTWR_EMULATION, ptwrEmulation)
                .put(VALIDATED_ENTRY, validatedEntry).put(SHADOW_FILL, shadowFill).put(WALK_LEVEL, walkLevel)
                .put(IPI, ipi).put(MULTICALL_ENTRY, multicallEntry).putAll(modelCosts).build();
    }

    /**
     * The table a report printed (its {@code cost_table}) read back, {@link #asMap()} reversed:
     * the fixed keys into their fields, every other key a model's. {@code mmutrace merge} reads
     * reports back through it.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CostTable fromMap(Map<String, Long> table) {
        Map<String, Long> modelCosts = new TreeMap<>(table);
        long[] fixed = new long[FIXED_KEYS.size()];
        for (int i = 0; i < fixed.length; i++) {
            Long cycles = modelCosts.remove(FIXED_KEYS.get(i));
            checkArgument(cycles != null, "the cost table has no '%s'", FIXED_KEYS.get(i));
            fixed[i] = cycles;
        }
        return new CostTable(fixed[0], fixed[1], fixed[2], fixed[3], fixed[4], fixed[5], fixed[6], fixed[7],
                ImmutableSortedMap.copyOf(modelCosts));
    }

    /** This table with the keys of {@code overrides} replaced; an unknown key or a bad number is an error. */
    public CostTable with(Map<String, String> overrides, String source) {
        Map<String, Long> m = new TreeMap<>(asMap());
        for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
            String key = e.getKey().trim();
            if (!m.containsKey(key)) {
                throw TraceInputException.ofFile(source, "unknown cost " + TraceInputException.quote(key) + " (known: "
                        + String.join(", ", m.keySet()) + ")");
            }
            long cycles;
            try {
                cycles = Long.parseLong(e.getValue().trim().replace("_", ""));
            } catch (NumberFormatException ex) {
                throw TraceInputException.ofFile(source, "cost '" + key + "' must be a whole number of cycles, got "
                        + TraceInputException.quote(e.getValue().trim()));
            }
            if (cycles < 0) {
                throw TraceInputException.ofFile(source, "cost '" + key + "' must be >= 0, got " + cycles);
            }
            m.put(key, cycles);
        }
        Map<String, Long> model = new TreeMap<>();
        modelCosts.keySet().forEach(k -> model.put(k, m.get(k)));
        return new CostTable(m.get(HYPERCALL), m.get(EXIT), m.get(PTWR_EMULATION), m.get(VALIDATED_ENTRY),
                m.get(SHADOW_FILL), m.get(WALK_LEVEL), m.get(IPI), m.get(MULTICALL_ENTRY),
                ImmutableSortedMap.copyOf(model));
    }

    /** The {@link #defaults()} overridden by a properties file ({@code exit=1500}, {@code # comments}). */
    public static CostTable load(Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(InputFiles.readUtf8(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        } catch (IllegalArgumentException e) {
            throw TraceInputException.ofFile(file.toString(), "not a properties file: " + e.getMessage());
        }
        Map<String, String> m = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
        }
        return defaults().with(m, file.toString());
    }
}
