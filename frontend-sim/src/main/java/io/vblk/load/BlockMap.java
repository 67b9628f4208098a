package io.vblk.load;

import java.util.Arrays;

/**
 * A map from block index (non-negative long) to int without boxing: open addressing, linear probing,
 * backward-shift removal. Invariant: the table is at most half full, so every probe ends at an empty slot.
 */
final class BlockMap {
    private static final long EMPTY = -1;

    private long[] keys;
    private int[] values;
    private int size;

    BlockMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
    }

    int size() {
        return size;
    }

    boolean containsKey(long key) {
        return keys[slot(key)] == key;
    }

    /** The value of {@code key}, or {@code absent} when it has none. */
    int get(long key, int absent) {
        int s = slot(key);
        return keys[s] == key ? values[s] : absent;
    }

    void put(long key, int value) {
        if (key < 0) {
            throw new IllegalArgumentException("block index must not be negative: " + key);
        }
        int s = slot(key);
        if (keys[s] != key) {
            if (2 * (size + 1) > keys.length) {
                grow();
                s = slot(key);
            }
            keys[s] = key;
            size++;
        }
        values[s] = value;
    }

    void remove(long key) {
        int mask = keys.length - 1;
        int s = slot(key);
        if (keys[s] != key) {
            return;
        }
        size--;
        // shift later members of the probe run back so no lookup stops early at the hole
        for (int next = (s + 1) & mask; keys[next] != EMPTY; next = (next + 1) & mask) {
            int home = hash(keys[next]) & mask;
            if (((next - home) & mask) >= ((next - s) & mask)) {
                keys[s] = keys[next];
                values[s] = values[next];
                s = next;
            }
        }
        keys[s] = EMPTY;
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int s = hash(key) & mask;
        while (keys[s] != EMPTY && keys[s] != key) {
            s = (s + 1) & mask;
        }
        return s;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Receives one entry of a map. */
    interface Visitor {
        void visit(long key, int value);
    }

    /** Calls {@code v} once per entry, in no particular order; {@code v} must not change this map. */
    void forEach(Visitor v) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                v.visit(keys[i], values[i]);
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int s = slot(oldKeys[i]);
                keys[s] = oldKeys[i];
                values[s] = oldValues[i];
            }
        }
    }
}
