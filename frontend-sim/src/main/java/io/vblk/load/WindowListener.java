package io.vblk.load;

/**
 * Told the instant the measured window opens (warmup over) and closes, on the thread that opens and closes it
 * (a connection's event loop): e.g. to read CPU counters over exactly the measured window. Must be quick.
 */
public interface WindowListener {
    void opened();

    void closed();
}
