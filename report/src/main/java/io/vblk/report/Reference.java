package io.vblk.report;

import java.util.List;
import java.util.Map;

/**
 * Figures measured elsewhere that a scenario reproduces (the 2008 tables), printed beside its own: per row
 * (a variant's label without its last matrix axis) one text per column.
 */
public record Reference(String title, List<String> columns, Map<String, List<String>> rows) {
    public Reference {
        columns = List.copyOf(columns);
        rows = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rows));
    }
}
