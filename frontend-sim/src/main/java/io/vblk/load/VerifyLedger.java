package io.vblk.load;

/**
 * What verify mode knows about one device: the last acknowledged generation of every block written, the
 * last generation a completed FLUSH covers, and which blocks have a request in flight. Invariant: a block has
 * at most one request in flight, so a read sees exactly the last acknowledged write. A ledger may start from
 * an earlier run's ({@link #restore}); generations then continue from the recorded ones. Confined to the
 * device's event loop.
 */
final class VerifyLedger {
    /** {@link #beginRead} answer for a block whose content is not known exactly: check a range, or skip. */
    static final int UNKNOWN = 0;

    /** One block's record: the generations last sent, acknowledged and covered by a completed FLUSH (0: none). */
    record Block(long block, int sent, int acked, int flushed) {}

    /** Receives the records of {@link #forEach}. */
    interface BlockVisitor {
        void visit(Block b);
    }

    // block -> last acknowledged generation (> 0), or -(generation) of a write in flight or failed, or of a
    // block restored from an earlier run: its content is then anything from the flushed generation to that one
    private final BlockMap generations;
    private final BlockMap acked = new BlockMap(1024);
    private final BlockMap flushed = new BlockMap(1024);
    private final BlockMap busy;
    private long flushes;

    VerifyLedger(int maxInFlight) {
        generations = new BlockMap(1024);
        busy = new BlockMap(maxInFlight);
    }

    /** Takes over a block recorded by an earlier run, which may have ended with a crash. */
    void restore(Block b) {
        boolean exact = b.flushed() > 0 && b.flushed() == b.sent();
        generations.put(b.block(), exact ? b.sent() : -b.sent());
        if (b.acked() > 0) {
            acked.put(b.block(), b.acked());
        }
        if (b.flushed() > 0) {
            flushed.put(b.block(), b.flushed());
        }
    }

    void restoreFlushes(long n) {
        flushes = n;
    }

    boolean isBusy(long block) {
        return busy.containsKey(block);
    }

    /** Marks the block busy and returns the generation the new write carries. */
    int beginWrite(long block) {
        markBusy(block);
        int generation = Math.abs(generations.get(block, 0)) + 1;
        // recorded now, so a ledger written while the write is in flight (the backend died) knows it was sent
        generations.put(block, -generation);
        return generation;
    }

    void endWrite(long block, int generation, boolean acknowledged) {
        busy.remove(block);
        generations.put(block, acknowledged ? generation : -generation);
        if (acknowledged) {
            acked.put(block, generation);
        }
    }

    /** Marks the block busy and returns the generation a read must find, or {@link #UNKNOWN}. */
    int beginRead(long block) {
        markBusy(block);
        return Math.max(UNKNOWN, generations.get(block, UNKNOWN));
    }

    /** For a block whose content is {@link #UNKNOWN}: the newest generation it may hold (0: never sent). */
    int newest(long block) {
        return Math.abs(generations.get(block, 0));
    }

    /** The oldest generation the block may hold: the last one a completed FLUSH covers (0: none). */
    int flushedGeneration(long block) {
        return flushed.get(block, 0);
    }

    void endRead(long block) {
        busy.remove(block);
    }

    /** What a FLUSH sent now covers: every acknowledged write so far, as block -> generation. */
    BlockMap ackedSnapshot() {
        BlockMap copy = new BlockMap(acked.size());
        acked.forEach(copy::put);
        return copy;
    }

    /** A FLUSH completed: the writes it covered are durable. */
    void flushed(BlockMap covered) {
        flushes++;
        covered.forEach((block, generation) -> {
            if (generation > flushed.get(block, 0)) {
                flushed.put(block, generation);
            }
        });
    }

    long flushes() {
        return flushes;
    }

    int blocksWritten() {
        return generations.size();
    }

    int blocksFlushed() {
        return flushed.size();
    }

    /** The blocks a completed FLUSH covers, in ascending order. */
    long[] flushedBlocks() {
        long[] out = new long[flushed.size()];
        int[] n = {0};
        flushed.forEach((block, generation) -> out[n[0]++] = block);
        java.util.Arrays.sort(out);
        return out;
    }

    /** Every block ever sent a write, this run or a recorded earlier one. */
    void forEach(BlockVisitor v) {
        generations.forEach((block, g) -> v.visit(new Block(block, Math.abs(g), acked.get(block, 0), flushed.get(block, 0))));
    }

    private void markBusy(long block) {
        if (busy.containsKey(block)) {
            throw new IllegalStateException("block " + block + " already has a request in flight");
        }
        busy.put(block, 1);
    }
}
