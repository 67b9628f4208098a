package io.vblk.config;

import java.util.ArrayList;
import java.util.List;

/** Collects what is wrong with a config, each problem at a field path such as {@code devices[1].weight}. */
public final class Problems {
    /** One mistake: where (a dotted path, indexes in brackets) and what is allowed there. */
    public record Problem(String path, String message) {}

    private final List<Problem> list = new ArrayList<>();

    public Problems add(String path, String message) {
        list.add(new Problem(path, message));
        return this;
    }

    public void require(boolean ok, String path, String message) {
        if (!ok) {
            add(path, message);
        }
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public static String join(String prefix, String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }
}
