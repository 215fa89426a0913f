package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;

/**
 * The options a report was made with, printed in it so a reader can reproduce it: the seed, the
 * time-series interval (0 = automatic), the models asked for, the {@code --set} settings.
 */
public record ReportOptions(long seed, long interval, ImmutableList<String> models,
        ImmutableSortedMap<String, String> settings) {
}
