package io.vblk.report;

import java.util.List;

/**
 * Everything an experiment measured, as {@code --json} writes it; {@code reference} is the scenario's, or null.
 * {@code intervalS} is the length of the intervals each run's series is counted in ({@link RunFigures#intervals()}),
 * null when the runs kept none ({@code --interval off}).
 */
public record ExperimentResult(String scenario, String description, double durationS, double warmupS, Double intervalS,
                               int repeat, List<VariantResult> variants, List<String> charts, Reference reference) {
    /** An experiment whose runs kept no series (a chart's own grouping of variants, a test's). */
    public ExperimentResult(String scenario, String description, double durationS, double warmupS, int repeat,
                            List<VariantResult> variants, List<String> charts, Reference reference) {
        this(scenario, description, durationS, warmupS, null, repeat, variants, charts, reference);
    }

    /** The same experiment with these charts. */
    public ExperimentResult withCharts(List<String> files) {
        return new ExperimentResult(scenario, description, durationS, warmupS, intervalS, repeat, variants, files, reference);
    }
}
