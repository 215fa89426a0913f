package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.P2m;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.proto.Event;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * EventMessages and HeaderMessages cross enums by number: schema value n is the Java constant
 * of ordinal n - 1. This pins that correspondence name by name, so reordering either side fails here.
 */
class WireEnumsTest {
    private static List<String> schemaNames(com.google.protobuf.ProtocolMessageEnum[] values) {
        return Arrays.stream(values)
                .filter(v -> !v.toString().equals("UNRECOGNIZED"))
                .filter(v -> v.getNumber() != 0)
                .map(v -> v.getNumber() + " " + v.toString())
                .toList();
    }

    private static List<String> javaNames(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> (v.ordinal() + 1) + " " + v.name()).toList();
    }

    @Test
    void schemaEnumsNumberTheJavaConstantsInOrderFromOne() {
        assertThat(schemaNames(dev.mmutrace.trace.proto.PagingMode.values())).isEqualTo(javaNames(PagingMode.values()));
        assertThat(schemaNames(dev.mmutrace.trace.proto.AccessMode.values())).isEqualTo(javaNames(AccessMode.values()));
        assertThat(schemaNames(dev.mmutrace.trace.proto.P2mPolicy.values())).isEqualTo(javaNames(P2m.Policy.values()));
        assertThat(schemaNames(dev.mmutrace.trace.proto.WriteCr3.Root.values()))
                .isEqualTo(javaNames(WriteCr3.Root.values()));
        assertThat(schemaNames(dev.mmutrace.trace.proto.FlushTlb.Scope.values()))
                .isEqualTo(javaNames(FlushTlb.Scope.values()));
        assertThat(schemaNames(dev.mmutrace.trace.proto.LazyMmu.Phase.values()))
                .isEqualTo(javaNames(LazyMmu.Phase.values()));
        assertThat(schemaNames(dev.mmutrace.trace.proto.Access.Kind.values()))
                .isEqualTo(javaNames(Access.Kind.values()));
    }

    @Test
    void initialMemoryNumbersTheJavaConstantsFromZero() {
        // the one enum whose 0 is a value (unknown, what older headers read as), not "unspecified"
        List<String> schema = Arrays.stream(dev.mmutrace.trace.proto.InitialMemory.values())
                .filter(v -> v != dev.mmutrace.trace.proto.InitialMemory.UNRECOGNIZED)
                .map(v -> v.getNumber() + " " + v.name()).toList();
        assertThat(schema).containsExactly("0 INITIAL_MEMORY_UNKNOWN", "1 EMPTY");
        assertThat(Arrays.stream(InitialMemory.values()).map(v -> v.ordinal() + " " + v.name()).toList())
                .containsExactly("0 UNKNOWN", "1 EMPTY");
    }

    @Test
    void everyEventKindHasItsOneofCaseUnderTheWireName() {
        // the oneof case names are the EventType names: SET_PTE_AT <-> set_pte_at
        List<String> cases = Arrays.stream(Event.KindCase.values())
                .filter(c -> c != Event.KindCase.KIND_NOT_SET).map(Enum::name).toList();
        List<String> types = Arrays.stream(dev.mmutrace.trace.EventType.values()).map(Enum::name).toList();
        assertThat(cases).isEqualTo(types);
    }
}
