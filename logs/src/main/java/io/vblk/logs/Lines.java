package io.vblk.logs;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a text stream, numbered, each knowing whether it ended with a line break: a log cut by a kill
 * ends with a line that has none. Lines longer than {@link #MAX_LENGTH} are cut there (and say so) so that a
 * binary file without line breaks cannot fill the heap.
 */
final class Lines implements Closeable {
    static final int MAX_LENGTH = 64 * 1024;

    /** One line without its line break. */
    record Line(long number, String text, boolean terminated, boolean tooLong) {}

    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder text = new StringBuilder();
    private int pos;
    private int limit;
    private long number;

    Lines(Reader in) {
        this.in = in;
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        text.setLength(0);
        boolean started = false;
        boolean tooLong = false;
        while (true) {
            if (pos == limit) {
                int n = in.read(buffer, 0, buffer.length);
                pos = 0;
                limit = Math.max(n, 0);
                if (n < 0) {
                    return started ? new Line(++number, text.toString(), false, tooLong) : null;
                }
            }
            started = true;
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            int room = MAX_LENGTH - text.length();
            tooLong |= pos - start > room;
            text.append(buffer, start, Math.min(pos - start, room));
            if (pos < limit) {
                pos++;
                if (text.length() > 0 && text.charAt(text.length() - 1) == '\r') {
                    text.setLength(text.length() - 1);
                }
                return new Line(++number, text.toString(), true, tooLong);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
