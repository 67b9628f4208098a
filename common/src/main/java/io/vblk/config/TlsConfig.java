package io.vblk.config;

/** TLS on the listener: a PEM certificate chain and its PEM (PKCS#8) private key. Absent: plain TCP. */
public record TlsConfig(String certificate, String privateKey) {
    void validate(String at, Problems p) {
        p.require(certificate != null && !certificate.isBlank(), Problems.join(at, "certificate"), "is required: a PEM file");
        p.require(privateKey != null && !privateKey.isBlank(), Problems.join(at, "private-key"), "is required: a PEM file");
    }
}
