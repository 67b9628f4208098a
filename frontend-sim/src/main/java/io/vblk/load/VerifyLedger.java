package io.vblk.load;

/**
 * What verify mode knows about one device: the last acknowledged generation of every block this run wrote,
 * and which blocks have a request in flight. Invariant: a block has at most one request in flight, so a read
 * sees exactly the last acknowledged write. Confined to the device's event loop.
 */
final class VerifyLedger {
    /** {@link #beginRead} answer for a block this run never wrote, or whose last write failed: skip the check. */
    static final int UNKNOWN = 0;

    // block -> last acknowledged generation (> 0), or -(generation) of a failed write whose effect is unknown
    private final BlockMap generations;
    private final BlockMap busy;

    VerifyLedger(int maxInFlight) {
        generations = new BlockMap(1024);
        busy = new BlockMap(maxInFlight);
    }

    boolean isBusy(long block) {
        return busy.containsKey(block);
    }

    /** Marks the block busy and returns the generation the new write carries. */
    int beginWrite(long block) {
        markBusy(block);
        return Math.abs(generations.get(block, 0)) + 1;
    }

    void endWrite(long block, int generation, boolean acknowledged) {
        busy.remove(block);
        generations.put(block, acknowledged ? generation : -generation);
    }

    /** Marks the block busy and returns the generation a read must find, or {@link #UNKNOWN}. */
    int beginRead(long block) {
        markBusy(block);
        return Math.max(UNKNOWN, generations.get(block, UNKNOWN));
    }

    void endRead(long block) {
        busy.remove(block);
    }

    int blocksWritten() {
        return generations.size();
    }

    private void markBusy(long block) {
        if (busy.containsKey(block)) {
            throw new IllegalStateException("block " + block + " already has a request in flight");
        }
        busy.put(block, 1);
    }
}
