package io.vblk.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Variant labels short enough for a chart's category axis. A matrix names its variants
 * {@code policy=fifo max-in-service=1}; when every label has the same keys in the same order, the keys move
 * to the axis title and the labels keep the values ({@code fifo 1}), which 24 categories have room for.
 */
record VariantLabels(List<String> labels, String axisTitle) {
    VariantLabels {
        labels = List.copyOf(labels);
    }

    static VariantLabels of(List<String> full) {
        List<String> keys = null;
        List<String> values = new ArrayList<>();
        for (String label : full) {
            List<String> k = new ArrayList<>();
            List<String> v = new ArrayList<>();
            for (String token : label.split(" ")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    k.add(token.substring(0, eq));
                    v.add(token.substring(eq + 1));
                } else {
                    v.add(token);
                }
            }
            if (k.isEmpty() || (keys != null && !keys.equals(k))) {
                return new VariantLabels(full, "variant");
            }
            keys = k;
            values.add(String.join(" ", v));
        }
        return keys == null ? new VariantLabels(full, "variant")
                : new VariantLabels(values, "variant (" + String.join(", ", keys) + ")");
    }

    /** Whether the labels, side by side, need more room than a 900-pixel chart's axis has: then they are turned. */
    boolean crowded() {
        int longest = labels.stream().mapToInt(String::length).max().orElse(0);
        return labels.size() * (longest + 2) > 90;
    }
}
