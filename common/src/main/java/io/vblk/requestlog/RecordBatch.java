package io.vblk.requestlog;

import java.util.ArrayList;
import java.util.List;

/**
 * Records gathered by one thread and handed to the log as one logging event, so that the logging framework's
 * per-event work is paid once per batch; the file still gets one line per record.
 */
public final class RecordBatch {
    private final List<JsonLine> records;

    public RecordBatch(int capacity) {
        this.records = new ArrayList<>(capacity);
    }

    public void add(JsonLine record) {
        records.add(record);
    }

    public int size() {
        return records.size();
    }

    List<JsonLine> records() {
        return records;
    }
}
