package io.vblk.load;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.vblk.config.LoadConfig;
import io.vblk.config.Secrets;
import java.net.InetSocketAddress;

/** How the load side gets in: the token its ATTACH and STATS_QUERY frames carry, and TLS when configured. */
public record Access(String token, SslContext ssl) {
    public static final Access OPEN = new Access("", null);

    /** Reads the token file and the trusted certificate now; a bad one throws {@link io.vblk.config.SettingException}. */
    public static Access of(LoadConfig config) {
        String token = config.authTokenFile() == null ? "" : Secrets.token(config.authTokenFile(), "auth-token-file");
        SslContext ssl = config.tls() == null ? null : Secrets.client(config.tls(), "tls.trust");
        return new Access(token, ssl);
    }

    /** Puts TLS first in a new connection's pipeline; the peer's address is what its certificate must name. */
    void secure(Channel ch, InetSocketAddress peer) {
        if (ssl != null) {
            ch.pipeline().addFirst("tls", ssl.newHandler(ch.alloc(), peer.getHostString(), peer.getPort()));
        }
    }
}
