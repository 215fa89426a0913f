package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A lower bound a measured figure must reach (issue 8's targets are all "at least"): a rate in
 * events per second, or a ratio of two rates. Met when the figure is at least the bound.
 */
public record Target(double atLeast) {

    public Target {
        checkArgument(atLeast > 0 && Double.isFinite(atLeast), "a target must be a positive number, got %s", atLeast);
    }

    public boolean metBy(double measured) {
        return measured >= atLeast;
    }
}
