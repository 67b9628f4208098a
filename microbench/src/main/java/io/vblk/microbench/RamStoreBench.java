package io.vblk.microbench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vblk.store.RamStore;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The RAM store's 4 KiB random read and write, into and out of a pooled direct buffer (what the backend
 * hands it). The 64 MiB device is fully written in setup, so writes overwrite existing pages (steady state,
 * no page allocation) and reads copy real pages rather than zero-filling holes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RamStoreBench {
    static final int BLOCK = 4096;
    static final long SIZE = 64L << 20;

    private RamStore store;
    private ByteBuf dst;
    private ByteBuf src;
    private long[] offsets;
    private int next;

    @Setup
    public void setup() {
        store = new RamStore(SIZE);
        src = PooledByteBufAllocator.DEFAULT.directBuffer(BLOCK);
        src.writeZero(BLOCK);
        dst = PooledByteBufAllocator.DEFAULT.directBuffer(BLOCK);
        for (long off = 0; off < SIZE; off += BLOCK) {
            store.write(off, src);
        }
        SplittableRandom rnd = new SplittableRandom(42);
        offsets = new long[1 << 16];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = rnd.nextLong(SIZE / BLOCK) * BLOCK;
        }
    }

    @TearDown
    public void tearDown() {
        src.release();
        dst.release();
    }

    private long offset() {
        return offsets[next++ & (offsets.length - 1)];
    }

    @Benchmark
    public int read4k() {
        dst.clear();
        store.read(offset(), dst, BLOCK);
        return dst.writerIndex();
    }

    @Benchmark
    public int write4k() {
        store.write(offset(), src);
        return src.readerIndex();
    }
}
