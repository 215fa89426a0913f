package dev.mmutrace.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * A help section listing names with a line about each (the models of {@code replay}, the
 * workloads of {@code generate}), laid out as picocli lays out options: names in a column,
 * descriptions wrapped beside them. Built from what the build has, so it cannot go stale.
 */
final class NamedList {
    private NamedList() {
    }

    /**
     * Adds the section {@code key} with {@code heading} after the options of {@code usage}; the
     * names are asked for only when the help is rendered (finding the models loads them all).
     */
    static void add(UsageMessageSpec usage, String key, String heading, Supplier<Map<String, String>> names) {
        usage.sectionKeys(withSectionAfterOptions(usage.sectionKeys(), key));
        usage.sectionMap().put(key, help -> {
            Map<String, String> described = names.get();
            int nameWidth = described.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
            int width = help.commandSpec().usageMessage().width();
            TextTable table = TextTable.forColumns(help.colorScheme(), new Column(nameWidth + 2, 2, Overflow.SPAN),
                    new Column(width - nameWidth - 2, 0, Overflow.WRAP));
            described.forEach((name, text) -> table.addRowValues(name, text));
            return help.createHeading(heading) + table;
        });
    }

    private static List<String> withSectionAfterOptions(List<String> keys, String key) {
        List<String> out = new java.util.ArrayList<>(keys);
        out.add(out.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, key);
        return out;
    }
}
