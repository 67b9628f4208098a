package io.vblk.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The access pattern of a guest process, with fio's names. */
public enum Pattern {
    @JsonProperty("randread") RANDREAD,
    @JsonProperty("randwrite") RANDWRITE,
    @JsonProperty("randrw") RANDRW,
    @JsonProperty("read") READ,
    @JsonProperty("write") WRITE;

    public boolean random() {
        return this == RANDREAD || this == RANDWRITE || this == RANDRW;
    }
}
