package io.vblk.load;

/** A connection's failure in words: Netty's native transport reports a syscall and a bare errno instead. */
final class ConnectionErrors {
    private ConnectionErrors() {}

    /** E.g. "the backend reset the connection (was it stopped?)" rather than "recvAddress(..) failed with error(-104)". */
    static String describe(Throwable cause) {
        String m = String.valueOf(cause.getMessage());
        if (m.contains("Connection reset") || m.contains("error(-104)")) {
            return "the backend reset the connection (was it stopped?)";
        }
        if (m.contains("Broken pipe") || m.contains("error(-32)")) {
            return "the backend closed the connection (was it stopped?)";
        }
        return "connection failed: " + m;
    }
}
