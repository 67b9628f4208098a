package io.vblk.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration a person wrote is wrong. The message names the file, the line, the field and what is
 * allowed there, one problem per line, and is meant to be printed as it is, without a stack trace.
 */
public final class ConfigException extends RuntimeException {
    /** One located problem: {@code line} is 1-based, 0 when unknown. */
    public record Located(String file, int line, String path, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + message;
        }
    }

    private final List<Located> problems;

    public ConfigException(List<Located> problems) {
        super(problems.stream().map(Located::toString).collect(Collectors.joining("\n")), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String file, String message) {
        this(List.of(new Located(file, 0, "", message)));
    }

    public List<Located> problems() {
        return problems;
    }
}
