package io.vblk.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the backend services a virtqueue: one request at a time (the 2008 virtio backend) or many in flight. */
public enum Mode {
    @JsonProperty("sync") SYNC,
    @JsonProperty("aio") AIO;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public String label() {
        return label;
    }
}
