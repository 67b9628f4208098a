package io.vblk.report;

import java.util.List;

/** Everything an experiment measured, as {@code --json} writes it; {@code reference} is the scenario's, or null. */
public record ExperimentResult(String scenario, String description, double durationS, double warmupS, int repeat,
                               List<VariantResult> variants, List<String> charts, Reference reference) {}
