package dev.mmutrace.report;

import com.google.common.collect.ImmutableMap;
import java.util.List;

/**
 * One colour per model, the same in every chart of a page: by the model's place in the page's
 * model order, from a palette that stays apart for the colour-blind (Okabe and Ito's), so a line
 * is known by its colour before its legend is read.
 */
public final class ModelColours {
    private static final List<String> PALETTE = List.of("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00",
            "#56b4e9", "#000000", "#f0e442");

    private ModelColours() {
    }

    /** Colours for {@code models} in the page's order; past the palette's end they repeat. */
    public static ImmutableMap<String, String> of(List<String> models) {
        ImmutableMap.Builder<String, String> b = ImmutableMap.builder();
        for (int i = 0; i < models.size(); i++) {
            b.put(models.get(i), PALETTE.get(i % PALETTE.size()));
        }
        return b.build();
    }
}
