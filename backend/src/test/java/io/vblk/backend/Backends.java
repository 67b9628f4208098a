package io.vblk.backend;

import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;

/** Starts backends on 127.0.0.1, ephemeral port, from a YAML snippet, for tests. */
final class Backends {
    private Backends() {}

    static Backend start(String yaml) throws Exception {
        BackendConfig cfg = ConfigLoader.parse("port: 0\n" + yaml, BackendConfig.class, "test.yaml");
        if (!cfg.validate().isEmpty()) {
            throw new IllegalArgumentException(cfg.validate().list().toString());
        }
        return Backend.start(cfg);
    }
}
