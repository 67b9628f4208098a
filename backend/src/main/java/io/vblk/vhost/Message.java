package io.vblk.vhost;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One vhost-user message as it arrived: its request number, flags, payload (little-endian, read-only) and the
 * fds that came with its header. The payload accessors check the size the message type requires, so a short
 * or oversized payload is a {@link ProtocolFault} naming the message, never a buffer exception.
 */
public record Message(int request, int flags, ByteBuffer payload, int[] fds) {
    /** A message the protocol forbids: the connection that sent it is closed, with this reason logged. */
    public static final class ProtocolFault extends IOException {
        public ProtocolFault(String message) {
            super(message);
        }
    }

    /** Where a message's fds come from: junixsocket hands over those attached to the bytes just read. */
    @FunctionalInterface
    public interface FdSource {
        int[] take() throws IOException;
    }

    /**
     * Reads one message: exactly the 12-byte header (the fds are attached to its bytes), its fds, then the
     * payload. Returns null at a clean end of stream before a header.
     */
    public static Message read(InputStream in, FdSource fds) throws IOException {
        byte[] header = new byte[VhostUser.HEADER_BYTES];
        int got = in.readNBytes(header, 0, header.length);
        if (got == 0) {
            return null;
        }
        if (got < header.length) {
            throw new EOFException("the front-end closed the socket inside a message header");
        }
        int[] received = fds.take();
        try {
            return read(in, header, received);
        } catch (IOException | RuntimeException e) {
            Fds.closeAll(received);
            throw e;
        }
    }

    private static Message read(InputStream in, byte[] header, int[] received) throws IOException {
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int request = h.getInt(0);
        int flags = h.getInt(4);
        long size = Integer.toUnsignedLong(h.getInt(8));
        if ((flags & VhostUser.FLAG_VERSION_MASK) != VhostUser.FLAG_VERSION) {
            throw new ProtocolFault(VhostUser.name(request) + " has protocol version " + (flags & 3) + ", not 1");
        }
        if (size > VhostUser.MAX_PAYLOAD) {
            throw new ProtocolFault(VhostUser.name(request) + " announces " + size + " bytes of payload; at most "
                    + VhostUser.MAX_PAYLOAD + " are taken");
        }
        if (received.length > VhostUser.MAX_FDS) {
            throw new ProtocolFault(VhostUser.name(request) + " carries " + received.length + " fds");
        }
        byte[] body = in.readNBytes((int) size);
        if (body.length < size) {
            throw new EOFException("the front-end closed the socket inside " + VhostUser.name(request));
        }
        return new Message(request, flags, ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN), received);
    }

    /** Takes fd {@code k} out of the message: the caller owns it now. */
    public int take(int k) {
        int fd = fds[k];
        fds[k] = -1;
        return fd;
    }

    /** Closes the fds nobody took: each message's fds are closed once it is handled, unless kept. */
    public void closeFds() {
        Fds.closeAll(fds);
        java.util.Arrays.fill(fds, -1);
    }

    public boolean needsReply() {
        return (flags & VhostUser.FLAG_NEED_REPLY) != 0;
    }

    public String name() {
        return VhostUser.name(request);
    }

    /** The payload must be exactly {@code bytes} long. */
    public Message expect(int bytes) throws ProtocolFault {
        if (payload.capacity() != bytes) {
            throw new ProtocolFault(name() + " has " + payload.capacity() + " bytes of payload, expected " + bytes);
        }
        return this;
    }

    /** A u64 payload (features, protocol features, the vring fd word). */
    public long u64() throws ProtocolFault {
        return expect(8).payload.getLong(0);
    }

    /** {@code struct vhost_vring_state}: index u32, num u32. */
    public record VringState(int index, long num) {}

    public VringState vringState() throws ProtocolFault {
        expect(8);
        return new VringState(payload.getInt(0), Integer.toUnsignedLong(payload.getInt(4)));
    }

    /**
     * {@code struct vhost_vring_addr}: index u32, flags u32, then the descriptor table, used ring, avail ring
     * and log addresses, u64 each, in the front-end's address space.
     */
    public record VringAddr(int index, int flags, long desc, long used, long avail, long log) {}

    public VringAddr vringAddr() throws ProtocolFault {
        expect(40);
        return new VringAddr(payload.getInt(0), payload.getInt(4), payload.getLong(8), payload.getLong(16),
                payload.getLong(24), payload.getLong(32));
    }

    /** {@code struct vhost_memory_region}: guest-physical address, size, front-end address, offset in its fd. */
    public record MemoryRegion(long guestPhysAddr, long size, long userAddr, long mmapOffset) {}

    /** SET_MEM_TABLE: nregions u32, padding u32, then nregions regions of 32 bytes; one fd per region. */
    public List<MemoryRegion> memoryTable() throws ProtocolFault {
        if (payload.capacity() < 8) {
            throw new ProtocolFault(name() + " has " + payload.capacity() + " bytes of payload, fewer than 8");
        }
        long n = Integer.toUnsignedLong(payload.getInt(0));
        if (n < 1 || n > VhostUser.MAX_FDS) {
            throw new ProtocolFault(name() + " names " + n + " regions; 1 to " + VhostUser.MAX_FDS + " are taken");
        }
        expect(8 + 32 * (int) n);
        if (fds.length != n) {
            throw new ProtocolFault(name() + " names " + n + " regions but carries " + fds.length + " fds");
        }
        List<MemoryRegion> regions = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int at = 8 + 32 * k;
            regions.add(new MemoryRegion(payload.getLong(at), payload.getLong(at + 8), payload.getLong(at + 16),
                    payload.getLong(at + 24)));
        }
        return regions;
    }

    /** The header of a reply to this message, with {@code size} bytes of payload to follow. */
    public byte[] replyHeader(int size) {
        return ByteBuffer.allocate(VhostUser.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(request)
                .putInt(VhostUser.FLAG_VERSION | VhostUser.FLAG_REPLY).putInt(size).array();
    }
}
