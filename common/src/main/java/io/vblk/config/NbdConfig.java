package io.vblk.config;

/**
 * The NBD listener: present means on. {@code listen} defaults to the backend's own {@code listen};
 * {@code port} is required (0 = ephemeral).
 */
public record NbdConfig(String listen, Integer port) {
    void validate(String at, Problems p) {
        p.require(listen == null || !listen.isBlank(), Problems.join(at, "listen"), "must be an address such as 127.0.0.1");
        if (port == null) {
            p.add(Problems.join(at, "port"), "is required: 0 (ephemeral) to 65535, e.g. 10809 (NBD's registered port)");
        } else {
            p.require(port >= 0 && port <= 65535, Problems.join(at, "port"), "must be from 0 (ephemeral) to 65535, got " + port);
        }
    }
}
