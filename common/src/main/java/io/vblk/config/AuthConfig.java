package io.vblk.config;

/** A shared secret every ATTACH must carry: the first line of {@code tokenFile}. Absent: no authentication. */
public record AuthConfig(String tokenFile) {
    void validate(String at, Problems p) {
        p.require(tokenFile == null || !tokenFile.isBlank(), Problems.join(at, "token-file"), "must be a file path");
    }
}
