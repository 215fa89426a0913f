package dev.mmutrace.trace.tracedat;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.trace.importer.Field;
import dev.mmutrace.trace.importer.Tracepoint;
import java.util.Optional;

/**
 * One event's layout as the kernel describes it in {@code events/<system>/<event>/format}, which
 * a trace.dat file carries for every event it may hold: the id its records start with and each
 * field's name, offset, size and signedness. Field extraction follows this and nothing else, so
 * no event layout is written into the reader.
 *
 * @param fields in the order the format lists them, the {@code common_*} ones first
 */
public record EventFormat(String system, String name, int id, ImmutableList<FormatField> fields) {

    /**
     * One field. {@code dynamic} is a {@code __data_loc} field (its 4 bytes hold the data's offset
     * in the record in the low 16 bits and its length in the high 16); {@code array} is a fixed
     * array such as {@code char prev_comm[16]}.
     */
    public record FormatField(String name, String type, int offset, int size, boolean signed, boolean array,
            boolean dynamic) {

        /** Whether the field is text: a char array, fixed or dynamic. */
        public boolean isText() {
            return (array || dynamic) && type.contains("char");
        }
    }

    /** The field called {@code fieldName}. */
    public Optional<FormatField> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /** The fields the translation reads, indexed by {@link Field#ordinal()}; a missing one is null. */
    FormatField[] byField() {
        FormatField[] out = new FormatField[Field.values().length];
        for (Field f : Field.values()) {
            field(f.text()).filter(x -> !x.array() && !x.dynamic()).ifPresent(x -> out[f.ordinal()] = x);
        }
        return out;
    }

    Tracepoint tracepoint() {
        return Tracepoint.of(name);
    }

    /**
     * Parses a format description; an {@link IllegalArgumentException} names what is wrong.
     * {@code system} is the directory it came from (the text does not say).
     */
    static EventFormat parse(String system, String text) {
        String name = null;
        int id = -1;
        ImmutableList.Builder<FormatField> fields = ImmutableList.builder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("name:")) {
                name = line.substring(5).strip();
            } else if (line.startsWith("ID:")) {
                id = Integer.parseInt(line.substring(3).strip());
            } else if (line.startsWith("field:")) {
                fields.add(parseField(line));
            }
        }
        if (name == null || id < 0) {
            throw new IllegalArgumentException("an event format without its name or ID");
        }
        return new EventFormat(system, name, id, fields.build());
    }

    /** {@code field:unsigned long address;	offset:8;	size:8;	signed:0;} */
    static FormatField parseField(String line) {
        int semi = line.indexOf(';');
        if (semi < 0) {
            throw new IllegalArgumentException("bad field line '" + line + "'");
        }
        String declaration = line.substring(line.indexOf(':') + 1, semi).strip();
        boolean dynamic = declaration.startsWith("__data_loc");
        String decl = declaration.replace("[]", "");
        int bracket = decl.indexOf('[');
        boolean array = bracket >= 0 && !dynamic;
        if (bracket >= 0) {
            decl = decl.substring(0, bracket);
        }
        int space = decl.lastIndexOf(' ');
        String fieldName = decl.substring(space + 1).strip();
        String type = space < 0 ? "" : decl.substring(0, space).strip();
        return new FormatField(fieldName, type, attribute(line, "offset:"), attribute(line, "size:"),
                attribute(line, "signed:") != 0, array, dynamic);
    }

    private static int attribute(String line, String key) {
        int at = line.indexOf(key);
        if (at < 0) {
            return 0;
        }
        int from = at + key.length();
        int to = line.indexOf(';', from);
        return Integer.parseInt(line.substring(from, to < 0 ? line.length() : to).strip());
    }
}
