package io.vblk.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The one output model of every command that prints figures: {@code --output-format} says what stdout carries
 * (the table, JSON or CSV) and {@code --json FILE} writes the JSON beside it, {@code -} being stdout. Whenever
 * stdout carries JSON or CSV, the table goes to stderr ({@code --json -}) or nowhere, so stdout parses.
 */
final class OutputOptions {
    enum Format { table, json, csv }

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "table",
            description = "What stdout carries: table, json or csv (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE; - is stdout, "
            + "and the table then goes to stderr.")
    String json;

    /** Rows of the CSV form: a header and one list of cells per row. */
    record Csv(List<String> header, List<List<Object>> rows) {}

    /** Refuses two outputs on stdout at once, before anything runs. */
    void check(CommandLine cl) {
        if ("-".equals(json) && format != Format.table) {
            throw new CommandLine.ParameterException(cl, "--json - and --output-format " + format
                    + " both write to stdout; give --json FILE");
        }
    }

    /** Where the table goes: stdout, stderr when stdout carries JSON (--json -), or null for nowhere. */
    <W> W table(W stdout, W stderr) {
        if (format != Format.table) {
            return null;
        }
        return "-".equals(json) ? stderr : stdout;
    }

    /** Writes the figures in the forms asked for: to stdout (json or csv), and the --json copy. */
    void write(Object value, Csv csv, PrintWriter stdout) {
        try {
            if (format == Format.json || "-".equals(json)) {
                stdout.println(JsonOut.MAPPER.writeValueAsString(value));
            } else if (format == Format.csv) {
                stdout.print(csv(csv));
            }
            if (json != null && !"-".equals(json)) {
                JsonOut.write(Path.of(json), value);
            }
            stdout.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write --json " + json + ": " + e.getMessage(), e));
        }
    }

    /** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
    static String csv(Csv csv) {
        StringBuilder b = new StringBuilder(line(List.copyOf(csv.header())));
        csv.rows().forEach(r -> b.append(line(r)));
        return b.toString();
    }

    private static String line(List<?> cells) {
        return cells.stream().map(OutputOptions::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String cell(Object v) {
        String s = v == null ? "" : v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
