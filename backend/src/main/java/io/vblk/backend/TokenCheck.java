package io.vblk.backend;

import io.vblk.config.AuthConfig;
import io.vblk.config.Secrets;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ProtocolException;

/** The backend's half of {@code auth}: the token every ATTACH and STATS_QUERY must carry, or none. */
final class TokenCheck {
    static final TokenCheck OPEN = new TokenCheck(null);

    private final String token;

    private TokenCheck(String token) {
        this.token = token;
    }

    /** Reads the token file now, so that a bad file stops the backend from starting rather than every attach. */
    static TokenCheck of(AuthConfig auth) {
        return auth == null || auth.tokenFile() == null ? OPEN : new TokenCheck(Secrets.token(auth.tokenFile(), "auth.token-file"));
    }

    boolean required() {
        return token != null;
    }

    /** Whether {@code presented} is the token (in constant time); any token passes without auth. */
    boolean accepts(String presented) {
        return token == null || Secrets.matches(token, presented);
    }

    /** Refuses a wrong or missing token; the message never repeats what was presented or expected. */
    void require(String presented) {
        if (!accepts(presented)) {
            throw new ProtocolException(ErrorCode.AUTH_FAILED, "authentication failed");
        }
    }
}
