package io.vblk.store;

import io.netty.buffer.ByteBuf;
import io.vblk.config.FaultConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injects the faults a device's {@code fault:} section asks for in front of another store: every Nth
 * operation fails, any operation touching the sector range [first, last] fails, and every operation first
 * waits {@code delay}. A failed operation throws before reaching the inner store, so it writes nothing; the
 * request path turns the exception into IOERR. Flushes count towards {@code every} but touch no sector. Closing
 * is never faulted, so a backend with faults still shuts down cleanly.
 */
public final class FaultStore implements BlockStore {
    private final BlockStore inner;
    private final long every;
    private final long firstByte;
    private final long endByte; // exclusive; firstByte == endByte when no range is faulty
    private final long firstSector;
    private final long lastSector;
    private final long delayNanos;
    private final AtomicLong operations = new AtomicLong();

    public FaultStore(BlockStore inner, FaultConfig fault) {
        this.inner = inner;
        this.every = fault.every() == null ? 0 : fault.every();
        if (fault.sectors() == null) {
            firstSector = lastSector = -1;
            firstByte = endByte = 0;
        } else {
            firstSector = fault.sectors().get(0);
            lastSector = fault.sectors().get(1);
            firstByte = firstSector << 9;
            endByte = (lastSector + 1) << 9;
        }
        Duration d = fault.delay() == null ? Duration.ZERO : fault.delay();
        this.delayNanos = d.toNanos();
    }

    /** Operations seen so far, failed or not. */
    public long operations() {
        return operations.get();
    }

    @Override
    public long capacity() {
        return inner.capacity();
    }

    /** A delay sleeps, so even a RAM store must then run on the I/O pool rather than an event loop. */
    @Override
    public boolean blocking() {
        return delayNanos > 0 || inner.blocking();
    }

    @Override
    public void read(long offset, ByteBuf dst, int length) throws IOException {
        check("read", offset, length);
        inner.read(offset, dst, length);
    }

    @Override
    public void write(long offset, ByteBuf src) throws IOException {
        check("write", offset, src.readableBytes());
        inner.write(offset, src);
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        check("write-zeroes", offset, length);
        inner.writeZeroes(offset, length);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        check("discard", offset, length);
        inner.discard(offset, length);
    }

    @Override
    public void flush() throws IOException {
        check("flush", 0, 0);
        inner.flush();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    private void check(String op, long offset, long length) throws IOException {
        long n = operations.incrementAndGet();
        if (delayNanos > 0) {
            try {
                Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("injected delay interrupted before " + op);
            }
        }
        if (every > 0 && n % every == 0) {
            throw new IOException("injected fault: " + op + " is operation " + n + ", and every " + every
                    + "th operation fails");
        }
        if (length > 0 && offset < endByte && offset + length > firstByte) {
            throw new IOException("injected fault: " + op + " of sectors " + (offset >> 9) + ".."
                    + ((offset + length - 1) >> 9) + " touches the faulty range [" + firstSector + ", "
                    + lastSector + "]");
        }
    }
}
