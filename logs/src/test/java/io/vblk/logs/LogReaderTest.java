package io.vblk.logs;

import static io.vblk.logs.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.vblk.requestlog.GuestRecord;
import io.vblk.requestlog.RequestRecord;

class LogReaderTest {
    @TempDir
    Path dir;
    private final List<String> warnings = new ArrayList<>();

    private <T> List<T> readAll(Path file, Class<T> type) {
        List<T> out = new ArrayList<>();
        LogReader.each(List.of(file), type, null, warnings::add, out::add);
        return out;
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }

    @Test
    void readsEveryRecordAsWritten() throws Exception {
        List<RequestRecord> log = Fixtures.seedLog();
        Path file = Fixtures.write(dir.resolve("backend.log"), log);

        assertThat(readAll(file, RequestRecord.class)).isEqualTo(log);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aTornLastLineIsOneWarningAndTheRestIsRead() throws Exception {
        Path file = Fixtures.write(dir.resolve("killed.log"), Fixtures.seedLog());
        String next = json(Fixtures.EXAMPLE);
        append(file, next.substring(0, next.indexOf("\"r\":") + 6));

        try (LogReader<RequestRecord> r = LogReader.open(file, RequestRecord.class, warnings::add)) {
            long n = 0;
            while (r.hasNext()) {
                r.next();
                n++;
            }
            assertThat(n).isEqualTo(125);
            assertThat(r.skipped()).isEqualTo(1);
        }
        assertThat(warnings).containsExactly(file + ": line 126 is incomplete (the writer stopped mid-line); skipped");
    }

    @Test
    void aCompleteLastRecordWithoutItsLineBreakIsKept() throws Exception {
        Path file = Fixtures.write(dir.resolve("no-eol.log"), Fixtures.seedLog());
        append(file, json(Fixtures.EXAMPLE));

        List<RequestRecord> read = readAll(file, RequestRecord.class);

        assertThat(read).hasSize(126).last().isEqualTo(Fixtures.EXAMPLE);
        assertThat(warnings).isEmpty();
    }

    @Test
    void malformedLinesInTheMiddleAreNamedByLineAndSkipped() throws Exception {
        List<String> lines = new ArrayList<>(Fixtures.seedLog().stream().map(Fixtures::json).toList());
        lines.add(2, "not json at all");
        lines.add(6, "{\"device\":\"sda11\",\"queue\":0}");
        lines.add(9, "");
        Path file = dir.resolve("bad.log");
        Files.write(file, lines);

        List<RequestRecord> read = readAll(file, RequestRecord.class);

        assertThat(read).hasSize(125);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith(file + ": line 3 is not a backend record (Unrecognized token 'not'").endsWith("; skipped");
        assertThat(warnings.get(1)).isEqualTo(file + ": line 7 is not a backend record (Missing creator property 'desc'); skipped");
    }

    @Test
    void pastTheFirstFiveMalformedLinesOnlyTheCountIsReported() throws Exception {
        List<String> lines = new ArrayList<>(Fixtures.seedLog().stream().map(Fixtures::json).toList());
        for (int i = 0; i < 8; i++) {
            lines.add(10 * i + 1, "{\"truncated\":");
        }
        Path file = dir.resolve("many.log");
        Files.write(file, lines);

        List<RequestRecord> read = readAll(file, RequestRecord.class);

        assertThat(read).hasSize(125);
        assertThat(warnings).hasSize(6);
        assertThat(warnings.subList(0, 5)).extracting(w -> w.substring(0, w.indexOf(" is not")))
                .containsExactly(file + ": line 2", file + ": line 12", file + ": line 22", file + ": line 32", file + ": line 42");
        assertThat(warnings.get(5)).isEqualTo(file + ": 8 malformed lines skipped in all; the first 5 are above");
    }

    @Test
    void aBackendRecordInAFrontendLogIsMalformedNotMisread() throws Exception {
        RequestRecord r = Fixtures.seedLog().get(0);
        Path file = dir.resolve("frontend.log");
        Files.write(file, List.of(json(Fixtures.guest(r, 30 * Fixtures.US, 20 * Fixtures.US)), json(r)));

        assertThat(readAll(file, GuestRecord.class)).hasSize(1);
        assertThat(warnings).containsExactly(file + ": line 2 is not a frontend record (Missing creator property 'submit'); skipped");
    }

    @Test
    void unknownFieldsAreIgnoredAndCrlfLineEndsRead() throws Exception {
        String line = json(Fixtures.EXAMPLE);
        Path file = dir.resolve("crlf.log");
        Files.writeString(file, line.replace("}", ",\"future\":[1,2]}") + "\r\n" + line + "\r\n");

        assertThat(readAll(file, RequestRecord.class)).containsExactly(Fixtures.EXAMPLE, Fixtures.EXAMPLE);
        assertThat(warnings).isEmpty();
    }

    @Test
    void theKindComesFromTheFirstJsonObject() throws Exception {
        RequestRecord r = Fixtures.EXAMPLE;
        Path backend = dir.resolve("b.log");
        Files.writeString(backend, "garbage\n\n" + json(r) + "\n");
        Path frontend = Fixtures.write(dir.resolve("f.log"), List.of(Fixtures.guest(r, 1, 1)));

        assertThat(LogReader.kind(backend)).isEqualTo(LogKind.BACKEND);
        assertThat(LogReader.kind(frontend)).isEqualTo(LogKind.FRONTEND);
        assertThatThrownBy(() -> LogReader.kind(List.of(backend, frontend))).isInstanceOf(LogException.class)
                .hasMessage(backend + " is a backend log but " + frontend + " a frontend log; give logs of one kind");
    }

    @Test
    void whatIsNotAVblkLogSaysWhy() throws Exception {
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"level\":\"INFO\",\"msg\":\"started\"}\n");
        Path empty = Files.createFile(dir.resolve("empty.log"));
        Path binary = dir.resolve("log.gz");
        Files.write(binary, new byte[] {31, -117, 8, 0, 0, 0, 0, 0, 0, 3, -1, -2, 10, 0});
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello\nworld\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> LogReader.kind(other)).hasMessage(
                other + ": not a vblk request log (its first JSON line has neither \"q\" nor \"submit\")");
        assertThatThrownBy(() -> LogReader.kind(empty)).hasMessage(empty + ": empty log (no records)");
        assertThatThrownBy(() -> LogReader.kind(binary)).hasMessage(binary + ": not a vblk request log (no JSON object in its first 2 lines)");
        assertThatThrownBy(() -> LogReader.kind(text)).hasMessage(text + ": not a vblk request log (no JSON object in its first 2 lines)");
        assertThatThrownBy(() -> LogReader.kind(dir.resolve("missing.log"))).hasMessage(dir.resolve("missing.log") + ": no such file");
        assertThatThrownBy(() -> LogReader.kind(dir)).hasMessage(dir + ": is a directory, not a log");
    }

    @Test
    void aLineLongerThanTheCapIsSkippedNotBuffered() throws Exception {
        Path file = dir.resolve("long.log");
        Files.writeString(file, "{\"device\":\"" + "x".repeat(Lines.MAX_LENGTH) + "\"}\n" + json(Fixtures.EXAMPLE) + "\n");

        assertThat(readAll(file, RequestRecord.class)).containsExactly(Fixtures.EXAMPLE);
        assertThat(warnings).containsExactly(file + ": line 1 is not a backend record (longer than 64 KiB); skipped");
    }
}
