package io.vblk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The vblk wire format. Every integer is little-endian, as in virtio's own structures.
 *
 * <pre>
 * Envelope (8 bytes), then {@code length} bytes of body:
 *  0       1       2       3       4       5       6       7
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * |  'V'  |  'B'  | kind  | 0     |         body length u32        |
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 *
 * ATTACH (1)       version u16 | queues u16 | name_len u16 | token_len u16 | name utf8 | token utf8
 * ATTACH_OK (2)    version u16 | 0 u16 | features u64 | capacity u64 | blk_size u32 | seg_max u32
 *                  | size_max u32 | num_queues u16 | queue_size u16 | max_discard_sectors u32
 *                  | max_discard_seg u32 | max_write_zeroes_sectors u32 | max_write_zeroes_seg u32 (52 bytes)
 * ACK (3)          features u64
 * REQUEST (4)      queue u16 | descriptor u16 | type u32 | ioprio u32 | sector u64 | length u32
 *                  | data (length bytes, for OUT, DISCARD, WRITE_ZEROES only)          (24 + data)
 * COMPLETION (5)   queue u16 | descriptor u16 | status u8 | 0 u8 u8 u8 | used_len u32
 *                  | data (used_len bytes, for IN and GET_ID only)                       (12 + data)
 * ERROR (6)        code u16 | message_len u16 | message utf8
 * STATS_QUERY (7)  token utf8 (empty without auth; at most MAX_TOKEN_BYTES)
 * STATS_REPLY (8)  json utf8
 * </pre>
 *
 * DISCARD and WRITE_ZEROES data is a list of 16-byte virtio_blk_discard_write_zeroes segments:
 * sector u64 | num_sectors u32 | flags u32.
 */
public final class FrameCodec {
    private FrameCodec() {}

    public static final int MAGIC = 0x4256; // 'V','B' read as little-endian u16
    public static final int VERSION = 1;
    public static final int ENVELOPE_BYTES = 8;
    public static final int REQUEST_HEADER_BYTES = 24;
    public static final int COMPLETION_HEADER_BYTES = 12;
    public static final int ATTACH_OK_BYTES = 52;
    /** Largest body of a frame that carries no block data (handshake, errors, stats). */
    public static final int MAX_CONTROL_BODY = 64 * 1024;
    public static final int MAX_NAME_BYTES = 255;
    public static final int MAX_TOKEN_BYTES = 1024;

    /** Writes the whole frame, except the data of a request or completion (the caller sends it after). */
    public static ByteBuf encodeHead(ByteBufAllocator alloc, Frame frame) {
        return switch (frame.kind()) {
            case ATTACH -> {
                Attach a = (Attach) frame;
                byte[] name = a.device().getBytes(StandardCharsets.UTF_8);
                byte[] token = a.token().getBytes(StandardCharsets.UTF_8);
                ByteBuf b = envelope(alloc, FrameKind.ATTACH, 8 + name.length + token.length);
                b.writeShortLE(a.version()).writeShortLE(a.queues()).writeShortLE(name.length).writeShortLE(token.length);
                yield b.writeBytes(name).writeBytes(token);
            }
            case ATTACH_OK -> {
                AttachOk ok = (AttachOk) frame;
                BlkConfig c = ok.config();
                ByteBuf b = envelope(alloc, FrameKind.ATTACH_OK, ATTACH_OK_BYTES);
                b.writeShortLE(ok.version()).writeShortLE(0).writeLongLE(ok.features()).writeLongLE(c.capacity());
                b.writeIntLE(c.blkSize()).writeIntLE(c.segMax()).writeIntLE(c.sizeMax());
                b.writeShortLE(c.numQueues()).writeShortLE(c.queueSize());
                yield b.writeIntLE(c.maxDiscardSectors()).writeIntLE(c.maxDiscardSeg())
                        .writeIntLE(c.maxWriteZeroesSectors()).writeIntLE(c.maxWriteZeroesSeg());
            }
            case ACK -> envelope(alloc, FrameKind.ACK, 8).writeLongLE(((Ack) frame).features());
            case REQUEST -> {
                BlkRequest r = (BlkRequest) frame;
                int data = VirtioBlk.carriesData(r.type()) ? r.data().readableBytes() : 0;
                ByteBuf b = envelope(alloc, FrameKind.REQUEST, REQUEST_HEADER_BYTES + data);
                b.writeShortLE(r.queue()).writeShortLE(r.descriptor()).writeIntLE(r.type()).writeIntLE(r.ioprio());
                yield b.writeLongLE(r.sector()).writeIntLE(r.length());
            }
            case COMPLETION -> {
                Completion c = (Completion) frame;
                ByteBuf b = envelope(alloc, FrameKind.COMPLETION, COMPLETION_HEADER_BYTES + c.data().readableBytes());
                b.writeShortLE(c.queue()).writeShortLE(c.descriptor()).writeByte(c.status()).writeZero(3);
                yield b.writeIntLE(c.usedLength());
            }
            case ERROR -> {
                ErrorFrame e = (ErrorFrame) frame;
                byte[] msg = truncatedUtf8(e.message(), 4096);
                ByteBuf b = envelope(alloc, FrameKind.ERROR, 4 + msg.length);
                yield b.writeShortLE(e.code().code).writeShortLE(msg.length).writeBytes(msg);
            }
            case STATS_QUERY -> {
                byte[] token = ((StatsQuery) frame).token().getBytes(StandardCharsets.UTF_8);
                yield envelope(alloc, FrameKind.STATS_QUERY, token.length).writeBytes(token);
            }
            case STATS_REPLY -> {
                byte[] json = ((StatsReply) frame).json().getBytes(StandardCharsets.UTF_8);
                yield envelope(alloc, FrameKind.STATS_REPLY, json.length).writeBytes(json);
            }
        };
    }

    /** The payload that follows the head on the wire, or null when the frame has none. */
    public static ByteBuf payload(Frame frame) {
        if (frame instanceof BlkRequest r && VirtioBlk.carriesData(r.type()) && r.data().isReadable()) {
            return r.data();
        }
        if (frame instanceof Completion c && c.data().isReadable()) {
            return c.data();
        }
        return null;
    }

    private static ByteBuf envelope(ByteBufAllocator alloc, FrameKind kind, int bodyLength) {
        int headBytes = ENVELOPE_BYTES + switch (kind) {
            case REQUEST -> REQUEST_HEADER_BYTES;
            case COMPLETION -> COMPLETION_HEADER_BYTES;
            default -> bodyLength;
        };
        ByteBuf b = alloc.ioBuffer(headBytes);
        return b.writeShortLE(MAGIC).writeByte(kind.code).writeByte(0).writeIntLE(bodyLength);
    }

    private static byte[] truncatedUtf8(String s, int maxChars) {
        String t = s == null ? "" : s.length() > maxChars ? s.substring(0, maxChars) : s;
        return t.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes one complete body of {@code length} bytes at the reader index of {@code in} and advances past it.
     * Request and completion data are retained slices of {@code in}: the returned frame owns them.
     *
     * @throws ProtocolException when the body does not match its kind's layout
     */
    public static Frame decodeBody(FrameKind kind, ByteBuf in, int length) {
        int end = in.readerIndex() + length;
        try {
            return switch (kind) {
                case ATTACH -> {
                    need(kind, length, 8);
                    int version = in.readUnsignedShortLE();
                    int queues = in.readUnsignedShortLE();
                    int nameLen = in.readUnsignedShortLE();
                    int tokenLen = in.readUnsignedShortLE();
                    if (nameLen > MAX_NAME_BYTES || tokenLen > MAX_TOKEN_BYTES || 8 + nameLen + tokenLen != length) {
                        throw malformed("ATTACH body of " + length + " bytes does not hold a name of " + nameLen
                                + " bytes (at most " + MAX_NAME_BYTES + ") and a token of " + tokenLen + " bytes");
                    }
                    String name = in.readCharSequence(nameLen, StandardCharsets.UTF_8).toString();
                    String token = in.readCharSequence(tokenLen, StandardCharsets.UTF_8).toString();
                    yield new Attach(version, queues, name, token);
                }
                case ATTACH_OK -> {
                    exactly(kind, length, ATTACH_OK_BYTES);
                    int version = in.readUnsignedShortLE();
                    in.skipBytes(2);
                    long features = in.readLongLE();
                    long capacity = in.readLongLE();
                    int blkSize = in.readIntLE();
                    int segMax = in.readIntLE();
                    int sizeMax = in.readIntLE();
                    int numQueues = in.readUnsignedShortLE();
                    int queueSize = in.readUnsignedShortLE();
                    yield new AttachOk(version, features, new BlkConfig(capacity, blkSize, segMax, sizeMax, numQueues,
                            queueSize, in.readIntLE(), in.readIntLE(), in.readIntLE(), in.readIntLE()));
                }
                case ACK -> {
                    exactly(kind, length, 8);
                    yield new Ack(in.readLongLE());
                }
                case REQUEST -> {
                    need(kind, length, REQUEST_HEADER_BYTES);
                    int queue = in.readUnsignedShortLE();
                    int descriptor = in.readUnsignedShortLE();
                    int type = in.readIntLE();
                    int ioprio = in.readIntLE();
                    long sector = in.readLongLE();
                    long dataLength = in.readUnsignedIntLE();
                    int carried = length - REQUEST_HEADER_BYTES;
                    if (VirtioBlk.carriesData(type) ? carried != dataLength : carried != 0) {
                        throw malformed("REQUEST " + VirtioBlk.typeName(type) + " declares " + dataLength
                                + " data bytes but the frame carries " + carried);
                    }
                    if (dataLength > Integer.MAX_VALUE) {
                        throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE, "REQUEST length " + dataLength + " too large");
                    }
                    ByteBuf data = carried > 0 ? in.readRetainedSlice(carried) : io.netty.buffer.Unpooled.EMPTY_BUFFER;
                    yield new BlkRequest(queue, descriptor, type, ioprio, sector, (int) dataLength, data);
                }
                case COMPLETION -> {
                    need(kind, length, COMPLETION_HEADER_BYTES);
                    int queue = in.readUnsignedShortLE();
                    int descriptor = in.readUnsignedShortLE();
                    int status = in.readUnsignedByte();
                    in.skipBytes(3);
                    long used = in.readUnsignedIntLE();
                    int carried = length - COMPLETION_HEADER_BYTES;
                    if (carried != 0 && carried != used) {
                        throw malformed("COMPLETION declares " + used + " used bytes but carries " + carried);
                    }
                    if (used > Integer.MAX_VALUE) {
                        throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE, "COMPLETION used length " + used + " too large");
                    }
                    ByteBuf data = carried > 0 ? in.readRetainedSlice(carried) : io.netty.buffer.Unpooled.EMPTY_BUFFER;
                    yield new Completion(queue, descriptor, status, (int) used, data);
                }
                case ERROR -> {
                    need(kind, length, 4);
                    ErrorCode code = ErrorCode.of(in.readUnsignedShortLE());
                    int msgLen = in.readUnsignedShortLE();
                    if (4 + msgLen != length) {
                        throw malformed("ERROR body of " + length + " bytes does not hold a message of " + msgLen);
                    }
                    yield new ErrorFrame(code, in.readCharSequence(msgLen, StandardCharsets.UTF_8).toString());
                }
                case STATS_QUERY -> {
                    if (length > MAX_TOKEN_BYTES) {
                        throw malformed("STATS_QUERY body of " + length + " bytes is longer than a token ("
                                + MAX_TOKEN_BYTES + " bytes at most)");
                    }
                    yield new StatsQuery(in.readCharSequence(length, StandardCharsets.UTF_8).toString());
                }
                case STATS_REPLY -> new StatsReply(in.readCharSequence(length, StandardCharsets.UTF_8).toString());
            };
        } finally {
            in.readerIndex(end);
        }
    }

    private static void need(FrameKind kind, int length, int min) {
        if (length < min) {
            throw malformed(kind + " body of " + length + " bytes is shorter than its " + min + "-byte header");
        }
    }

    private static void exactly(FrameKind kind, int length, int expected) {
        if (length != expected) {
            throw malformed(kind + " body must be " + expected + " bytes, got " + length);
        }
    }

    private static ProtocolException malformed(String message) {
        return new ProtocolException(ErrorCode.MALFORMED, message);
    }
}
