package io.vblk.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A throwaway certificate for 127.0.0.1 and localhost, made with the openssl CLI, as the README tells users to. */
public record SelfSigned(Path certificate, Path privateKey) {
    public static SelfSigned in(Path dir) throws IOException, InterruptedException {
        SelfSigned s = new SelfSigned(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", s.privateKey.toString(), "-out", s.certificate.toString(), "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("the openssl CLI is needed to make a test certificate and cannot be run: " + e.getMessage());
            throw e;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl could not make a certificate:\n" + output);
        }
        return s;
    }

    public String yaml() {
        return "tls: {certificate: \"" + certificate + "\", private-key: \"" + privateKey + "\"}\n";
    }
}
