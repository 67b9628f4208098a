package io.vblk.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the backend services a virtqueue: one request at a time (the 2008 virtio backend) or many in flight. */
public enum Mode {
    @JsonProperty("sync") SYNC,
    @JsonProperty("aio") AIO;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
