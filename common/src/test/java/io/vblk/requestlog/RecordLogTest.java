package io.vblk.requestlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request log on a real file: records reach it while the run goes on; runs never mix unannounced. */
class RecordLogTest {
    @TempDir
    Path dir;

    private static RequestRecord record(long seq) {
        return new RequestRecord("vm1", 0, 1, seq, "IN", 8, 4096, "OK", 1, "aio", 10, 11, 12, 13, 14, 1, 1, 3);
    }

    private static List<String> waitForLines(Path file, int n) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> lines = Files.readAllLines(file);
        while (lines.size() < n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            lines = Files.readAllLines(file);
        }
        return lines;
    }

    @Test
    void aRecordReachesTheFileSoonWhileTheLogStaysOpen() throws Exception {
        Path file = dir.resolve("r.jsonl");
        try (RecordLog log = RecordLog.open(file, "test", RunHeader.start("backend", "aio", "cfg"), false)) {
            log.write(record(1));
            // no close, no more records: only the flush timer can bring it out of the 1 MiB buffer
            List<String> lines = waitForLines(file, 2);
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).startsWith(RunHeader.PREFIX).contains("\"log\":\"backend\"", "\"mode\":\"aio\"",
                    "\"config_hash\":\"" + RunHeader.hash("cfg") + "\"");
            assertThat(lines.get(1)).contains("\"seq\":1", "\"conn\":3");
        }
    }

    @Test
    void anExistingLogIsRefusedUnlessAppendingAndAppendingAddsAHeader() throws Exception {
        Path file = dir.resolve("r.jsonl");
        RunHeader first = RunHeader.start("backend", "aio", "cfg");
        try (RecordLog log = RecordLog.open(file, "test", first, false)) {
            log.write(record(1));
        }
        assertThatThrownBy(() -> RecordLog.open(file, "test", RunHeader.start("backend", "aio", "cfg"), false))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("give --append");
        RunHeader second = RunHeader.start("backend", "sync", "other");
        try (RecordLog log = RecordLog.open(file, "test", second, true)) {
            log.write(record(1));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).contains("\"run\":\"" + first.run() + "\"");
        assertThat(lines.get(2)).contains("\"run\":\"" + second.run() + "\"");
        assertThat(first.run()).isNotEqualTo(second.run());
        assertThat(first.configHash()).isNotEqualTo(second.configHash());
    }

    @Test
    void aMissingFolderIsNamedAndNotCreated() {
        Path file = dir.resolve("typo").resolve("r.jsonl");
        assertThatThrownBy(() -> RecordLog.open(file, "test", RunHeader.start("backend", "aio", "cfg"), false))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no such directory " + dir.resolve("typo"));
        assertThat(dir.resolve("typo")).doesNotExist();
    }
}
