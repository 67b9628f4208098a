package io.vblk.config;

/**
 * A device's vhost-user door: the unix socket a front-end such as QEMU connects to. Present means on; the
 * backend creates the socket at start (replacing a stale one) and removes it at shutdown.
 */
public record VhostUserConfig(String socket) {
    /** sun_path holds 108 bytes with its terminating NUL. */
    static final int MAX_PATH = 107;

    void validate(String at, Problems p) {
        if (socket == null || socket.isBlank()) {
            p.add(Problems.join(at, "socket"), "is required: the path of a unix socket, e.g. /tmp/vblk-sda11.sock");
        } else {
            p.require(socket.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_PATH, Problems.join(at, "socket"),
                    "a unix socket path holds at most " + MAX_PATH + " bytes, got " + socket.length());
        }
    }
}
