package dev.mmutrace.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportTest {

    @Test
    void threeModelsFitIn80Columns() {
        String text = TextReport.write(ReportFixtures.batch(2, 40));
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }

    @Test
    void modelsAreSideBySideBaselineFirstAndSectionsOnlyWhereTheyApply() {
        List<String> lines = TextReport.write(ReportFixtures.batch(1, 40)).lines().toList();
        // The header wraps (long labels); the column line follows it.
        assertThat(lines.get(0)).startsWith("trace-0.csv: 4level, 2 vCPUs, 40 events (kernel=2.6.27, workload=sample:");
        assertThat(lines.get(2).trim().split(" +")).containsExactly("native", "xen", "lguest");
        // The scripted lguest flavour was killed at event 40 - 3 = 37, so it replayed events 0..37.
        assertThat(lines).anySatisfy(l -> assertThat(l.split(" +")).containsExactly("events", "replayed", "40",
                "40", "38"));
        // Xen rows are "-" for native and lguest; shadow rows are "-" for native and xen.
        // The scripted xen flavour emulates every set_pte: events 2, 11, 20, 29, 38 of the 9-event cycle.
        assertThat(lines).anySatisfy(l -> assertThat(l.trim().split(" +")).containsExactly("ptwr", "emulations", "-",
                "5", "-"));
        assertThat(lines).anySatisfy(l -> assertThat(l.trim().split(" +")).containsExactly("killed", "at", "event",
                "-", "-", "37"));
    }

    @Test
    void everyCountHasThousandsSeparators() {
        List<String> lines = TextReport.write(ReportFixtures.batch(1, 2000)).lines().toList();
        // 2000 events replayed by native and xen; the scripted lguest is killed at 2000 - 3 = 1997,
        // so it replayed events 0..1997, 1998 of them.
        assertThat(lines).anySatisfy(l -> assertThat(l.split(" +")).containsExactly("events", "replayed", "2,000",
                "2,000", "1,998"));
        // Every figure of the tables and lists (the cost table's prices are settings, not counts).
        int costTable = lines.indexOf(lines.stream().filter(l -> l.startsWith("cost table")).findFirst().orElseThrow());
        assertThat(lines.subList(0, costTable)).allSatisfy(l -> assertThat(l).doesNotContainPattern("[0-9]{4}"));
    }
}
