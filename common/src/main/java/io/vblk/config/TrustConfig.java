package io.vblk.config;

/** The load side's TLS: the PEM certificate (or CA) the backend's certificate must chain to. Absent: plain TCP. */
public record TrustConfig(String trust) {
    void validate(String at, Problems p) {
        p.require(trust != null && !trust.isBlank(), Problems.join(at, "trust"), "is required: a PEM file");
    }
}
