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

/**
 * A raw image file. Created sparse at the configured size when absent. With {@code direct}, requests whose
 * offset and length are multiples of the filesystem block go through an O_DIRECT channel via this thread's
 * own aligned bounce buffer (O_DIRECT channels get no other buffers: on JDK 17 a heap buffer there breaks
 * later reads); other requests use the buffered channel, which the kernel keeps coherent with direct I/O.
 * FLUSH is fsync.
 */
public final class FileStore implements BlockStore {
    private static final int ZERO_CHUNK = 1 << 20;

    private final Path path;
    private final long capacity;
    private final FileChannel buffered;
    private final FileChannel direct;
    private final int align;
    private final ThreadLocal<ByteBuffer> bounce;

    private FileStore(Path path, long capacity, FileChannel buffered, FileChannel direct, int align, int maxTransfer) {
        this.path = path;
        this.capacity = capacity;
        this.buffered = buffered;
        this.direct = direct;
        this.align = align;
        this.bounce = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(maxTransfer + align).alignedSlice(align));
    }

    /**
     * Opens (or creates) the image. A too-small existing image, an unreadable path or a filesystem without
     * O_DIRECT when {@code direct} is asked for is reported as an IOException with the reason.
     */
    public static FileStore open(Path path, long capacity, boolean readOnly, boolean direct, int maxTransfer)
            throws IOException {
        Path abs = path.toAbsolutePath();
        if (!Files.exists(abs)) {
            if (readOnly) {
                throw new IOException("read-only image " + abs + " does not exist");
            }
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            try (RandomAccessFile f = new RandomAccessFile(abs.toFile(), "rw")) {
                f.setLength(capacity);
            }
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
        return new FileStore(abs, capacity, buffered, directChannel, align, maxTransfer);
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
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, ZERO_CHUNK));
        long done = 0;
        while (done < length) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), length - done));
            done += writeFully(buffered, zeros, offset + done);
        }
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        writeZeroes(offset, length);
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
