package io.vblk.load;

import java.net.InetSocketAddress;

/** Where the backend listens, written HOST:PORT or [IPv6]:PORT. */
public record Target(String host, int port) {
    public static Target parse(String text) {
        if (text == null || text.isBlank()) {
            throw LoadException.usage("no target: give --target HOST:PORT or 'target:' in the load config");
        }
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        String host = colon > 0 ? t.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(t.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw LoadException.usage("target must be HOST:PORT with a port from 1 to 65535, got '" + text + "'");
        }
        return new Target(host, port);
    }

    public InetSocketAddress resolve() {
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw LoadException.usage("cannot resolve host '" + host + "' of target " + this);
        }
        return a;
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
