package io.vblk.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The frontend simulator's configuration: where the backend is, how to get in (a token file, a certificate
 * to trust; both optional) and which processes drive which device.
 */
public record LoadConfig(String target, Boolean verify, String authTokenFile, TrustConfig tls, List<LoadSpec> load) {
    public LoadConfig {
        verify = verify != null && verify;
        // not List.copyOf: it throws on the null of an empty "-" entry, which validate() reports by index
        load = load == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(load));
    }

    public LoadConfig withTarget(String t) {
        return new LoadConfig(t, verify, authTokenFile, tls, load);
    }

    /** The same load reaching a backend that wants this token file and presents this certificate. */
    public LoadConfig withAccess(String tokenFile, TrustConfig trust) {
        return new LoadConfig(target, verify, tokenFile, trust, load);
    }

    public Problems validate() {
        Problems p = new Problems();
        p.require(authTokenFile == null || !authTokenFile.isBlank(), "auth-token-file", "must be a file path");
        if (tls != null) {
            tls.validate("tls", p);
        }
        p.require(!load.isEmpty(), "load", "must list at least one device to drive");
        for (int i = 0; i < load.size(); i++) {
            if (load.get(i) == null) {
                p.add("load[" + i + "]", "is empty");
            } else {
                load.get(i).validate("load[" + i + "]", p);
            }
        }
        return p;
    }
}
