package io.vblk.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The frontend simulator's configuration: where the backend is, how to get in (a token file, a certificate
 * to trust; both optional) and which processes drive which device. With verify on, a ledger file can carry
 * what was written and flushed from one run to the next (a crash test), and a FLUSH every {@code flushEvery}
 * decides which writes must survive; {@code verifyOnly} only reads back what the ledger says was flushed.
 * {@code eventLoops} sets the client's Netty loops (by default one, two when it drives several devices).
 */
public record LoadConfig(String target, Boolean verify, String authTokenFile, TrustConfig tls, List<LoadSpec> load,
                         String verifyLedger, Duration flushEvery, Boolean verifyOnly, EventLoopConfig eventLoops) {
    public LoadConfig {
        verifyOnly = verifyOnly != null && verifyOnly;
        eventLoops = eventLoops == null ? EventLoopConfig.DEFAULT : eventLoops;
        // checking what an earlier run flushed is verify's work, so asking for it is asking for verify
        verify = verify != null && verify || verifyOnly;
        // not List.copyOf: it throws on the null of an empty "-" entry, which validate() reports by index
        load = load == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(load));
    }

    public LoadConfig withTarget(String t) {
        return new LoadConfig(t, verify, authTokenFile, tls, load, verifyLedger, flushEvery, verifyOnly, eventLoops);
    }

    /** The same load reaching a backend that wants this token file and presents this certificate. */
    public LoadConfig withAccess(String tokenFile, TrustConfig trust) {
        return new LoadConfig(target, verify, tokenFile, trust, load, verifyLedger, flushEvery, verifyOnly, eventLoops);
    }

    /** The same load keeping its verify ledger in {@code ledger}, flushing every {@code every} (null: never). */
    public LoadConfig withLedger(String ledger, Duration every, boolean only) {
        return new LoadConfig(target, verify, authTokenFile, tls, load, ledger, every, only, eventLoops);
    }

    public Problems validate() {
        Problems p = new Problems();
        p.require(authTokenFile == null || !authTokenFile.isBlank(), "auth-token-file", "must be a file path");
        if (tls != null) {
            tls.validate("tls", p);
        }
        p.require(verifyLedger == null || !verifyLedger.isBlank(), "verify-ledger", "must be a file path");
        p.require(flushEvery == null || (!flushEvery.isNegative() && !flushEvery.isZero()), "flush-every", "must be positive");
        p.require(verifyLedger == null || verify, "verify-ledger", "needs verify: true");
        p.require(flushEvery == null || verify, "flush-every", "needs verify: true");
        p.require(!verifyOnly || verifyLedger != null, "verify-only", "needs verify-ledger: the blocks to check");
        eventLoops.validate("event-loops", p);
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
