package io.vblk.protocol;

/** virtio-blk numbering (virtio 1.2, section 5.2): request types, statuses, feature bits. */
public final class VirtioBlk {
    private VirtioBlk() {}

    /** The sector unit of every request, whatever blk_size says. */
    public static final int SECTOR_SIZE = 512;
    public static final int SECTOR_SHIFT = 9;
    /** GET_ID answers with at most this many bytes (VIRTIO_BLK_ID_BYTES). */
    public static final int ID_BYTES = 20;

    public static final int T_IN = 0;
    public static final int T_OUT = 1;
    public static final int T_FLUSH = 4;
    public static final int T_GET_ID = 8;
    public static final int T_DISCARD = 11;
    public static final int T_WRITE_ZEROES = 13;

    public static final int S_OK = 0;
    public static final int S_IOERR = 1;
    public static final int S_UNSUPP = 2;

    public static final int F_RO = 5;
    public static final int F_BLK_SIZE = 6;
    public static final int F_FLUSH = 9;
    public static final int F_MQ = 12;
    public static final int F_DISCARD = 13;
    public static final int F_WRITE_ZEROES = 14;

    /** One segment of a DISCARD or WRITE_ZEROES payload: sector u64, num_sectors u32, flags u32. */
    public static final int SEGMENT_BYTES = 16;

    public static long bit(int feature) {
        return 1L << feature;
    }

    public static boolean has(long features, int feature) {
        return (features & bit(feature)) != 0;
    }

    /** True for types whose payload travels from driver to device (the request frame carries data). */
    public static boolean carriesData(int type) {
        return type == T_OUT || type == T_DISCARD || type == T_WRITE_ZEROES;
    }

    /** True for types that fill a device-writable buffer of the requested length. */
    public static boolean readsData(int type) {
        return type == T_IN || type == T_GET_ID;
    }

    public static String typeName(int type) {
        return switch (type) {
            case T_IN -> "IN";
            case T_OUT -> "OUT";
            case T_FLUSH -> "FLUSH";
            case T_GET_ID -> "GET_ID";
            case T_DISCARD -> "DISCARD";
            case T_WRITE_ZEROES -> "WRITE_ZEROES";
            default -> "TYPE_" + type;
        };
    }

    public static String statusName(int status) {
        return switch (status) {
            case S_OK -> "OK";
            case S_IOERR -> "IOERR";
            case S_UNSUPP -> "UNSUPP";
            default -> "STATUS_" + status;
        };
    }
}
