package dev.mmutrace.report.diff;

import com.google.common.collect.ImmutableMap;

/** The evidence of one compared trace, per model, in the base and in the new report. */
public record TraceEvidence(ImmutableMap<String, ModelEvidence> base, ImmutableMap<String, ModelEvidence> next) {

    public ModelEvidence base(String model) {
        return base.getOrDefault(model, ModelEvidence.NONE);
    }

    public ModelEvidence next(String model) {
        return next.getOrDefault(model, ModelEvidence.NONE);
    }
}
