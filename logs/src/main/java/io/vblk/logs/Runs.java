package io.vblk.logs;

import io.vblk.requestlog.RunHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which run of a log the tools read. A log holds one run, or several when they were appended: each begins with
 * its {@link RunHeader}. The tools read the last run unless told {@code --run ID} (a prefix is enough) or
 * {@code --run all}, and name the run they read, so that figures of two runs are never mixed unseen.
 */
public final class Runs {
    public static final String ALL = "all";

    private Runs() {}

    /**
     * The id of the run to read in {@code files}, or null for every record (a log without headers, or
     * {@code --run all}); {@code notes} hears which run that is. An id no header has is a usage error.
     */
    public static String choose(List<Path> files, String wanted, Consumer<String> notes) {
        List<RunHeader> runs = new ArrayList<>();
        for (Path f : files) {
            runs.addAll(headers(f));
        }
        if (runs.isEmpty()) {
            return null;
        }
        String list = String.join(", ", runs.stream().map(Runs::describe).toList());
        if (ALL.equals(wanted)) {
            notes.accept("reading all " + runs.size() + " run(s): " + list);
            return null;
        }
        RunHeader chosen = runs.get(runs.size() - 1);
        if (wanted != null) {
            List<RunHeader> match = runs.stream().filter(r -> r.run().startsWith(wanted)).toList();
            if (match.size() != 1) {
                throw new LogException(files.get(0) + ": " + (match.isEmpty() ? "no run " : "more than one run starts with ")
                        + wanted + "; its runs: " + list);
            }
            chosen = match.get(0);
        }
        notes.accept("run " + describe(chosen) + (runs.size() > 1 ? " (" + runs.size() + " runs in the log; --run ID "
                + "or --run all for the others)" : ""));
        return chosen.run();
    }

    private static String describe(RunHeader h) {
        return h.run() + " (" + h.log() + ", " + h.mode() + ", config " + h.configHash() + ", started " + h.start() + ")";
    }

    // the headers only: a line is one when it begins as a header does, so records are not parsed here
    private static List<RunHeader> headers(Path file) {
        List<RunHeader> out = new ArrayList<>();
        try (Lines in = LogReader.lines(file)) {
            for (Lines.Line line = in.next(); line != null; line = in.next()) {
                RunHeader h = LogReader.header(line.text());
                if (h != null) {
                    out.add(h);
                }
            }
        } catch (IOException e) {
            throw new LogException(file + ": cannot read: " + e.getMessage());
        }
        return out;
    }
}
