package io.vblk.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A setting that validated but whose file turned out unusable when it was opened (a token file that is
 * empty, a certificate that does not parse). {@code path} is the setting's key, e.g. {@code tls.certificate}.
 */
public final class SettingException extends RuntimeException {
    public final String path;
    private final String detail;

    public SettingException(String path, String detail) {
        super(path + ": " + detail, null, false, false);
        this.path = path;
        this.detail = detail;
    }

    /** The same problem located in the config file it came from, as {@code file:line: path: message}. */
    public ConfigException in(Path file) {
        int line = ConfigLoader.lineOf(ConfigLoader.text(file), path);
        return new ConfigException(List.of(new ConfigException.Located(file.toString(), line, path, detail)));
    }
}
