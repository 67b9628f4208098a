package io.vblk.config;

/**
 * The backend's admin endpoint (live control and metrics over HTTP): present means on. {@code listen} defaults
 * to 127.0.0.1, whatever the data doors' address; {@code port} is required (0 = ephemeral). With
 * {@code token-file} every request must carry {@code Authorization: Bearer TOKEN}; a listener beyond loopback
 * needs one, since whoever reaches it can change every weight.
 */
public record AdminConfig(String listen, Integer port, String tokenFile) {
    public AdminConfig {
        listen = listen == null ? "127.0.0.1" : listen;
    }

    void validate(String at, Problems p) {
        p.require(!listen.isBlank(), Problems.join(at, "listen"), "must be an address such as 127.0.0.1");
        if (port == null) {
            p.add(Problems.join(at, "port"), "is required: 0 (ephemeral) to 65535, e.g. 10901");
        } else {
            p.require(port >= 0 && port <= 65535, Problems.join(at, "port"), "must be from 0 (ephemeral) to 65535, got " + port);
        }
        p.require(tokenFile == null || !tokenFile.isBlank(), Problems.join(at, "token-file"), "must be a file path");
        p.require(tokenFile != null || loopback(listen), Problems.join(at, "token-file"),
                "is required when admin.listen (" + listen + ") is not a loopback address: whoever reaches the "
                        + "endpoint can change every weight");
    }

    /** Whether {@code host} names this machine only: 127.0.0.0/8, ::1 or localhost. */
    static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}
