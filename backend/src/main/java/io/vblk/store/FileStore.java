package io.vblk.store;

import com.sun.nio.file.ExtendedOpenOption;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A raw image file. Created sparse at the configured size when absent. With {@code direct}, requests whose
 * offset and length are multiples of the filesystem block go through an O_DIRECT channel via this thread's
 * own aligned bounce buffer (O_DIRECT channels get no other buffers: on JDK 17 a heap buffer there breaks
 * later reads); other requests use the buffered channel, which the kernel keeps coherent with direct I/O.
 * FLUSH is fsync. DISCARD punches a hole (fallocate PUNCH_HOLE | KEEP_SIZE: the blocks are freed, the range
 * reads as zeros, as NBD's TRIM and virtio's DISCARD allow) and WRITE_ZEROES zeroes the range in place
 * (ZERO_RANGE); where the filesystem cannot, both write zeroes, and the log says so once per store. A full
 * filesystem is a {@link NoSpaceException}.
 */
public final class FileStore implements BlockStore {
    private static final Logger log = LoggerFactory.getLogger(FileStore.class);
    private static final int ZERO_CHUNK = 1 << 20;

    private final Path path;
    private final long capacity;
    private final FileChannel buffered;
    private final FileChannel direct;
    private final int align;
    private final ThreadLocal<ByteBuffer> bounce;
    // null on a read-only image or where libc's fallocate cannot be called; then both fall back to writing
    private final Fallocate fallocate;
    private final AtomicBoolean punchFallbackLogged = new AtomicBoolean();
    private final AtomicBoolean zeroFallbackLogged = new AtomicBoolean();

    private FileStore(Path path, long capacity, FileChannel buffered, FileChannel direct, int align, int maxTransfer,
                      Fallocate fallocate) {
        this.path = path;
        this.fallocate = fallocate;
        this.capacity = capacity;
        this.buffered = buffered;
        this.direct = direct;
        this.align = align;
        this.bounce = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(maxTransfer + align).alignedSlice(align));
    }

    /**
     * Opens the image, or, when {@code create}, creates it when it is absent but its folder exists, saying so in
     * one log line; without {@code create} an absent image is refused with its path. A
     * missing folder is never created: a mistyped path must not leave folders and a 1 GiB file behind (as
     * root, anywhere). A too-small existing image, an unreadable path or a filesystem without O_DIRECT when
     * {@code direct} is asked for is reported as an IOException with the reason.
     */
    public static FileStore open(Path path, long capacity, boolean readOnly, boolean direct, int maxTransfer,
                                 boolean create) throws IOException {
        Path abs = path.toAbsolutePath();
        if (!Files.exists(abs)) {
            if (readOnly) {
                throw new IOException("read-only image " + abs + " does not exist");
            }
            if (!create) {
                throw new IOException(abs + ": no such image (the device says create: false)");
            }
            if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
                throw new IOException(abs + ": no such directory " + abs.getParent() + " (an image is created only in "
                        + "a folder that exists)");
            }
            try (RandomAccessFile f = new RandomAccessFile(abs.toFile(), "rw")) {
                f.setLength(capacity);
            }
            log.info("created the image {} ({} bytes, sparse)", abs, capacity);
        }
        long size = Files.size(abs);
        if (size < capacity) {
            throw new IOException("image " + abs + " holds " + size + " bytes, less than the configured size " + capacity);
        }
        Set<StandardOpenOption> mode = readOnly ? Set.of(StandardOpenOption.READ)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel buffered = FileChannel.open(abs, mode);
        FileChannel directChannel = null;
        int align = 512;
        if (direct) {
            try {
                align = (int) Math.max(512, Files.getFileStore(abs).getBlockSize());
                directChannel = readOnly
                        ? FileChannel.open(abs, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)
                        : FileChannel.open(abs, StandardOpenOption.READ, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            } catch (IOException | UnsupportedOperationException e) {
                buffered.close();
                throw new IOException("O_DIRECT is not available for " + abs + ": " + e.getMessage());
            }
        }
        Fallocate f = null;
        if (!readOnly && Fallocate.unavailable() == null) {
            try {
                f = Fallocate.open(abs);
            } catch (IOException e) {
                buffered.close();
                if (directChannel != null) {
                    directChannel.close();
                }
                throw e;
            }
        } else if (!readOnly) {
            log.warn("{}: {}; DISCARD and WRITE_ZEROES write zeroes instead", abs, Fallocate.unavailable());
        }
        return new FileStore(abs, capacity, buffered, directChannel, align, maxTransfer, f);
    }

    public Path path() {
        return path;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    private boolean aligned(long offset, long length) {
        return direct != null && offset % align == 0 && length % align == 0 && length <= bounce.get().capacity();
    }

    @Override
    public void read(long offset, ByteBuf dst, int length) throws IOException {
        if (aligned(offset, length)) {
            ByteBuffer b = bounce.get();
            b.clear().limit(length);
            readFully(direct, b, offset);
            b.flip();
            dst.writeBytes(b);
            return;
        }
        int done = 0;
        while (done < length) {
            int n = dst.writeBytes(buffered, offset + done, length - done);
            if (n < 0) {
                dst.writeZero(length - done);
                return;
            }
            done += n;
        }
    }

    @Override
    public void write(long offset, ByteBuf src) throws IOException {
        try {
            writeAt(offset, src);
        } catch (IOException e) {
            throw NoSpaceException.classify(e);
        }
    }

    private void writeAt(long offset, ByteBuf src) throws IOException {
        int length = src.readableBytes();
        if (aligned(offset, length)) {
            ByteBuffer b = bounce.get();
            b.clear().limit(length);
            src.getBytes(src.readerIndex(), b);
            b.flip();
            writeFully(direct, b, offset);
            return;
        }
        int done = 0;
        while (done < length) {
            done += src.getBytes(src.readerIndex() + done, buffered, offset + done, length - done);
        }
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        if (fallocate == null || !fallocate.zeroRange(offset, length)) {
            fallBack(zeroFallbackLogged, "zero ranges in place (fallocate ZERO_RANGE)", "WRITE_ZEROES");
            writeZeroesByWriting(offset, length);
        }
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        if (fallocate == null || !fallocate.punchHole(offset, length)) {
            fallBack(punchFallbackLogged, "punch holes (fallocate PUNCH_HOLE)", "DISCARD and TRIM");
            writeZeroesByWriting(offset, length);
        }
    }

    private void fallBack(AtomicBoolean logged, String cannot, String what) {
        if (fallocate != null && logged.compareAndSet(false, true)) {
            log.warn("{}: the filesystem cannot {}; {} write zeroes instead", path, cannot, what);
        }
    }

    private void writeZeroesByWriting(long offset, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, ZERO_CHUNK));
        long done = 0;
        try {
            while (done < length) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), length - done));
                done += writeFully(buffered, zeros, offset + done);
            }
        } catch (IOException e) {
            throw NoSpaceException.classify(e);
        }
    }

    @Override
    public void flush() throws IOException {
        buffered.force(true);
        if (direct != null) {
            direct.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            buffered.close();
            if (direct != null) {
                direct.close();
            }
            if (fallocate != null) {
                fallocate.close();
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                while (b.hasRemaining()) {
                    b.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    private static int writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            total += ch.write(b, position + total);
        }
        return total;
    }
}
