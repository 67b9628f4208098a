package io.vblk.vhost;

/**
 * vhost-user protocol numbering (QEMU's docs/interop/vhost-user.rst), front-end to back-end messages and the
 * bits vblk reads or offers. A message is a 12-byte header, then {@code size} bytes of payload, all
 * little-endian; file descriptors ride on the header's bytes as SCM_RIGHTS.
 *
 * <pre>
 * header:  request u32 | flags u32 (version 0x1 in bits 0-1, REPLY 0x4, NEED_REPLY 0x8) | size u32
 * </pre>
 */
public final class VhostUser {
    private VhostUser() {}

    public static final int HEADER_BYTES = 12;
    /** No message vblk takes carries more (CONFIG: 12 + 256; a memory table of 8 regions: 8 + 8 * 32). */
    public static final int MAX_PAYLOAD = 4096;
    /** The most fds one message may carry: the memory table's 8 regions. */
    public static final int MAX_FDS = 8;

    public static final int FLAG_VERSION = 0x1;
    public static final int FLAG_VERSION_MASK = 0x3;
    public static final int FLAG_REPLY = 0x4;
    public static final int FLAG_NEED_REPLY = 0x8;

    public static final int GET_FEATURES = 1;
    public static final int SET_FEATURES = 2;
    public static final int SET_OWNER = 3;
    public static final int RESET_OWNER = 4;
    public static final int SET_MEM_TABLE = 5;
    public static final int SET_LOG_BASE = 6;
    public static final int SET_LOG_FD = 7;
    public static final int SET_VRING_NUM = 8;
    public static final int SET_VRING_ADDR = 9;
    public static final int SET_VRING_BASE = 10;
    public static final int GET_VRING_BASE = 11;
    public static final int SET_VRING_KICK = 12;
    public static final int SET_VRING_CALL = 13;
    public static final int SET_VRING_ERR = 14;
    public static final int GET_PROTOCOL_FEATURES = 15;
    public static final int SET_PROTOCOL_FEATURES = 16;
    public static final int GET_QUEUE_NUM = 17;
    public static final int SET_VRING_ENABLE = 18;
    public static final int SET_BACKEND_REQ_FD = 21;
    public static final int GET_CONFIG = 24;
    public static final int SET_CONFIG = 25;
    public static final int GET_MAX_MEM_SLOTS = 36;
    public static final int ADD_MEM_REG = 37;
    public static final int REM_MEM_REG = 38;
    public static final int SET_STATUS = 39;
    public static final int GET_STATUS = 40;

    /** Feature bit 30: the back-end speaks the protocol-features messages. */
    public static final int F_PROTOCOL_FEATURES = 30;

    public static final int PROTOCOL_F_MQ = 0;
    public static final int PROTOCOL_F_REPLY_ACK = 3;
    public static final int PROTOCOL_F_CONFIG = 9;
    public static final int PROTOCOL_F_STATUS = 16;

    /** virtio device status: the device hit an error and needs a reset (VIRTIO 1.2, 2.1). */
    public static final int STATUS_NEEDS_RESET = 0x40;

    /** SET_VRING_KICK/CALL/ERR payload: the ring index in bits 0-7; bit 8 set means no fd (polling). */
    public static final long VRING_INDEX_MASK = 0xff;
    public static final long VRING_NOFD = 0x100;

    /** A message's name for log lines and errors: "SET_MEM_TABLE (5)". */
    public static String name(int request) {
        String n = switch (request) {
            case GET_FEATURES -> "GET_FEATURES";
            case SET_FEATURES -> "SET_FEATURES";
            case SET_OWNER -> "SET_OWNER";
            case RESET_OWNER -> "RESET_OWNER";
            case SET_MEM_TABLE -> "SET_MEM_TABLE";
            case SET_LOG_BASE -> "SET_LOG_BASE";
            case SET_LOG_FD -> "SET_LOG_FD";
            case SET_VRING_NUM -> "SET_VRING_NUM";
            case SET_VRING_ADDR -> "SET_VRING_ADDR";
            case SET_VRING_BASE -> "SET_VRING_BASE";
            case GET_VRING_BASE -> "GET_VRING_BASE";
            case SET_VRING_KICK -> "SET_VRING_KICK";
            case SET_VRING_CALL -> "SET_VRING_CALL";
            case SET_VRING_ERR -> "SET_VRING_ERR";
            case GET_PROTOCOL_FEATURES -> "GET_PROTOCOL_FEATURES";
            case SET_PROTOCOL_FEATURES -> "SET_PROTOCOL_FEATURES";
            case GET_QUEUE_NUM -> "GET_QUEUE_NUM";
            case SET_VRING_ENABLE -> "SET_VRING_ENABLE";
            case SET_BACKEND_REQ_FD -> "SET_BACKEND_REQ_FD";
            case GET_CONFIG -> "GET_CONFIG";
            case SET_CONFIG -> "SET_CONFIG";
            case GET_MAX_MEM_SLOTS -> "GET_MAX_MEM_SLOTS";
            case ADD_MEM_REG -> "ADD_MEM_REG";
            case REM_MEM_REG -> "REM_MEM_REG";
            case SET_STATUS -> "SET_STATUS";
            case GET_STATUS -> "GET_STATUS";
            default -> "message";
        };
        return n + " (" + request + ")";
    }
}
