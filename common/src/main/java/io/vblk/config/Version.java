package io.vblk.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The one version every {@code --version} prints: the parent pom's, stamped into vblk-version.properties when
 * common is built, so the backend's jar and the tools' jar cannot disagree.
 */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        return new String[] {"vblk " + of()};
    }

    public static String of() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/vblk-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return p.getProperty("version", "unknown");
    }
}
