package io.vblk.config;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.vblk.protocol.FrameCodec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLException;

/**
 * Opens the files behind {@code auth} and {@code tls} settings. Each failure is a {@link SettingException}
 * naming the setting, so both sides report it as {@code file:line: key: what is wrong}.
 */
public final class Secrets {
    private Secrets() {}

    /** The most read of a token, certificate or key file: a certificate chain is a few KiB. */
    static final long MAX_FILE_BYTES = 64 * 1024;

    /** The token in {@code file}: its first line, trimmed; {@code key} names the setting for messages. */
    public static String token(String file, String key) {
        String text = read(file, key);
        String first = text.lines().findFirst().orElse("").trim();
        if (first.isEmpty()) {
            throw new SettingException(key, file + " is empty; its first line must hold the token");
        }
        if (first.getBytes(StandardCharsets.UTF_8).length > FrameCodec.MAX_TOKEN_BYTES) {
            throw new SettingException(key, "the token in " + file + " is longer than "
                    + FrameCodec.MAX_TOKEN_BYTES + " bytes");
        }
        return first;
    }

    /**
     * Whether {@code presented} is {@code expected}, in time independent of where they differ. Both are
     * hashed first so that not even the length of the secret shows in the timing.
     */
    public static boolean matches(String expected, String presented) {
        return MessageDigest.isEqual(sha256(expected), sha256(presented));
    }

    /** A server context from {@code tls: {certificate, private-key}}. */
    public static SslContext server(TlsConfig tls) {
        // read first so that a missing file is named by its setting, not by Netty's one message for both
        read(tls.certificate(), "tls.certificate");
        read(tls.privateKey(), "tls.private-key");
        SslContextBuilder b;
        try {
            b = SslContextBuilder.forServer(new File(tls.certificate()), new File(tls.privateKey()));
        } catch (IllegalArgumentException e) {
            // Netty parses the chain first, then the key, and says which one it could not read
            boolean key = String.valueOf(e.getMessage()).contains("private key");
            throw key ? new SettingException("tls.private-key", tls.privateKey() + " holds no PEM (PKCS#8 or PKCS#1) private key")
                    : new SettingException("tls.certificate", tls.certificate() + " holds no PEM certificate");
        }
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new SettingException("tls.private-key", tls.privateKey() + " does not go with "
                    + tls.certificate() + ": " + e.getMessage());
        }
    }

    /** A client context that trusts the certificates in {@code trust.trust()}; {@code key} names the setting. */
    public static SslContext client(TrustConfig trust, String key) {
        read(trust.trust(), key);
        try {
            return SslContextBuilder.forClient().trustManager(new File(trust.trust())).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new SettingException(key, trust.trust() + " holds no PEM certificate");
        }
    }

    private static String read(String file, String key) {
        try {
            return TextFiles.read(Path.of(file), MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            throw new SettingException(key, file + ": no such file");
        } catch (TextFiles.NotText e) {
            throw new SettingException(key, file + " " + e.getMessage());
        } catch (IOException e) {
            throw new SettingException(key, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
