package io.vblk.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Aligned columns in the style of the load report ({@code a | b | c}, a rule under the header): text reads
 * left to right, figures line up on their last digit.
 */
public final class TextTable {
    private final String align;
    private final List<String[]> rows = new ArrayList<>();
    private final Set<Integer> rulesBefore = new HashSet<>();
    // lines of free text before the row of that index (an event between two rows); they set no column width
    private final java.util.Map<Integer, List<String>> notesBefore = new java.util.HashMap<>();

    /** {@code align} has one letter per column: l for text, r for figures. */
    public TextTable(String align, String... header) {
        if (align.length() != header.length) {
            throw new IllegalArgumentException("alignment " + align + " for " + header.length + " columns");
        }
        this.align = align;
        rows.add(header);
        rulesBefore.add(1);
    }

    public TextTable row(String... cells) {
        if (cells.length != rows.get(0).length) {
            throw new IllegalArgumentException(cells.length + " cells for " + rows.get(0).length + " columns");
        }
        rows.add(cells);
        return this;
    }

    /** A rule above the next row, e.g. before a total. */
    public TextTable rule() {
        rulesBefore.add(rows.size());
        return this;
    }

    /** A line of text of its own above the next row, e.g. an event between two windows of a timeline. */
    public TextTable note(String text) {
        notesBefore.computeIfAbsent(rows.size(), k -> new ArrayList<>()).add(text);
        return this;
    }

    public String format() {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i <= rows.size(); i++) {
            notesBefore.getOrDefault(i, List.of()).forEach(n -> out.append(n).append('\n'));
            if (i == rows.size()) {
                break;
            }
            if (rulesBefore.contains(i)) {
                for (int c = 0; c < width.length; c++) {
                    out.append(c > 0 ? "-+-" : "").append("-".repeat(width[c]));
                }
                out.append('\n');
            }
            String[] cells = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cells.length; c++) {
                String pad = " ".repeat(width[c] - cells[c].length());
                line.append(c > 0 ? " | " : "").append(align.charAt(c) == 'l' ? cells[c] + pad : pad + cells[c]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
