package io.vblk.requestlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one flat JSON object as ASCII bytes in a reused buffer: no StringBuilder, no String, no charset
 * encoder per record. Keys and string values are vblk's own vocabulary (device names are [A-Za-z0-9_.-]),
 * so nothing needs escaping. Not thread-safe: one writer per thread.
 */
public final class JsonLineWriter {
    private byte[] buf = new byte[512];
    private int len;
    private boolean first;

    /** Empties the buffer. */
    public JsonLineWriter reset() {
        len = 0;
        return this;
    }

    /** Starts an object on a new line, after whatever the buffer already holds. */
    public JsonLineWriter begin() {
        first = true;
        put((byte) '{');
        return this;
    }

    /** A key encoded once: {@code "name":}, for {@link #str(Key, String)} and {@link #num(Key, long)}. */
    public static final class Key {
        private final byte[] bytes;

        private Key(String name) {
            this.bytes = ("\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
        }
    }

    public static Key key(String name) {
        return new Key(name);
    }

    public JsonLineWriter str(Key key, String value) {
        writeKey(key);
        put((byte) '"');
        ascii(value);
        put((byte) '"');
        return this;
    }

    public JsonLineWriter num(Key key, long value) {
        writeKey(key);
        digits(value);
        return this;
    }

    /** Closes the object and ends the line. */
    public JsonLineWriter end() {
        put((byte) '}');
        put((byte) '\n');
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** The buffer's text without its last newline. */
    @Override
    public String toString() {
        int n = len > 0 && buf[len - 1] == '\n' ? len - 1 : len;
        return new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    private void writeKey(Key key) {
        if (!first) {
            put((byte) ',');
        }
        first = false;
        ensure(key.bytes.length);
        System.arraycopy(key.bytes, 0, buf, len, key.bytes.length);
        len += key.bytes.length;
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    // "00".."99": two digits per division, written from the end of the number backwards
    private static final byte[] PAIRS = new byte[200];
    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private static final long[] POW10 = new long[19];
    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    // long division is slow on the hot loop: one per 8 digits, the rest in int arithmetic, no division to count
    private void digits(long v) {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            ascii(Long.toString(v));
            return;
        }
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int n = 1;
        while (n < POW10.length && v >= POW10[n]) {
            n++;
        }
        int at = len + n;
        len = at;
        while (v > Integer.MAX_VALUE) {
            long high = v / 100_000_000L;
            at = eightDigits((int) (v - high * 100_000_000L), at);
            v = high;
        }
        int x = (int) v;
        while (x >= 100) {
            int pair = x % 100;
            x /= 100;
            buf[--at] = PAIRS[2 * pair + 1];
            buf[--at] = PAIRS[2 * pair];
        }
        if (x >= 10) {
            buf[--at] = PAIRS[2 * x + 1];
            buf[--at] = PAIRS[2 * x];
        } else {
            buf[--at] = (byte) ('0' + x);
        }
    }

    /** Writes exactly eight digits of {@code x} (0..99999999) ending before {@code at}; returns the new start. */
    private int eightDigits(int x, int at) {
        for (int i = 0; i < 4; i++) {
            int pair = x % 100;
            x /= 100;
            buf[--at] = PAIRS[2 * pair + 1];
            buf[--at] = PAIRS[2 * pair];
        }
        return at;
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
