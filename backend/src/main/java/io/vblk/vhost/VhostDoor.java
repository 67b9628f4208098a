package io.vblk.vhost;

import io.netty.channel.EventLoopGroup;
import io.vblk.backend.Exports;
import io.vblk.metrics.DoorCounters;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vhost-user door of one device: a unix socket a front-end such as QEMU connects to, and one
 * {@link Session} at a time on a thread of its own (vhost-user has one front-end per device; a second one is
 * turned away with a log line until the first has gone). The rings run on the backend's event loops.
 */
public final class VhostDoor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VhostDoor.class);
    /** Ancillary room for the most fds a message carries (8) and then some: junixsocket's default of 0 drops them. */
    private static final int ANCILLARY_BYTES = 1024;

    private final String device;
    private final Path socket;
    private final AFUNIXServerSocket server;
    private final Exports exports;
    private final EventLoopGroup loops;
    private final long maxMemory;
    // shared by every device's vhost-user door: the metrics count the door kind, not the socket
    private final DoorCounters counters;
    /** Refusal reasons in the metrics: a second front-end while one is served; one that broke the protocol;
     *  one whose socket could not be set up. */
    public static final java.util.List<String> REFUSALS = java.util.List.of("busy", "protocol", "failed");
    private final Thread acceptor;
    // the acceptor's, read by close(): the front-end being served and its session's thread
    private volatile AFUNIXSocket current;
    private volatile Thread session;
    private volatile Session served;
    private volatile boolean closed;

    private VhostDoor(String device, Path socket, AFUNIXServerSocket server, Exports exports, EventLoopGroup loops,
                      long maxMemory, DoorCounters counters) {
        this.counters = counters;
        this.device = device;
        this.socket = socket;
        this.server = server;
        this.exports = exports;
        this.loops = loops;
        this.maxMemory = maxMemory;
        this.acceptor = new Thread(this::accept, "vblk-vhost-" + device);
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code socket} for device {@code device}, replacing a stale socket left by an earlier run.
     * A path that exists and is no socket, or a folder that does not exist, is an {@link IOException} that
     * says so. Each ring may hold up to {@code maxMemory} bytes of copied request data.
     */
    public static VhostDoor open(String device, Path socket, Exports exports, EventLoopGroup loops, long maxMemory,
                                 DoorCounters counters) throws IOException {
        if (Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes a = Files.readAttributes(socket, BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) {
                throw new IOException(socket + " exists and is not a socket");
            }
            Files.delete(socket);
        }
        Path folder = socket.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new IOException("folder " + folder + " does not exist");
        }
        AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket));
        try {
            // only the backend's user may connect: a front-end owns the device's data and the guest's memory
            Files.setPosixFilePermissions(socket, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        VhostDoor door = new VhostDoor(device, socket, server, exports, loops, maxMemory, counters);
        door.acceptor.start();
        return door;
    }

    public String device() {
        return device;
    }

    public Path socket() {
        return socket;
    }

    /** Whether a front-end's session runs now. */
    public boolean serving() {
        Thread t = session;
        return t != null && t.isAlive();
    }

    private void accept() {
        while (!closed) {
            AFUNIXSocket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("{}: vhost-user socket {} stopped accepting: {}", device, socket, e.getMessage());
                }
                return;
            }
            Thread busy = session;
            if (busy != null && busy.isAlive() && served.ending()) {
                // a front-end that reconnects at once finds the last session still stopping its rings
                join(busy, Vring.STOP_WAIT_MS + 5_000);
            }
            if (busy != null && busy.isAlive()) {
                log.warn("{}: a second vhost-user front-end on {} turned away: the device has one already", device,
                        socket);
                counters.refused("busy");
                close(s);
                continue;
            }
            serve(s);
        }
    }

    private void serve(AFUNIXSocket s) {
        try {
            s.setAncillaryReceiveBufferSize(ANCILLARY_BYTES);
            Session sn = new Session(device, s, s.getInputStream(), s.getOutputStream(), () -> fds(s),
                    new VhostDevice(device, exports, loops, maxMemory));
            counters.opened();
            Thread t = new Thread(() -> {
                try {
                    sn.run();
                } finally {
                    if (sn.refused()) {
                        counters.refused("protocol");
                    }
                    counters.closed();
                }
            }, "vblk-vhost-session-" + device);
            t.setDaemon(true);
            current = s;
            served = sn;
            session = t;
            log.info("{}: vhost-user front-end connected on {}", device, socket);
            t.start();
            if (closed) {
                close(s);
            }
        } catch (IOException e) {
            log.warn("{}: vhost-user front-end on {} could not be served: {}", device, socket, e.getMessage());
            counters.refused("failed");
            close(s);
        }
    }

    /**
     * The fds that came with the message whose header was just read, as ints the session owns. junixsocket
     * keeps the fds it received and closes those still open when the socket closes, so each is duplicated
     * and the original closed at once, through a stream so that junixsocket forgets it.
     */
    private static int[] fds(AFUNIXSocket s) throws IOException {
        FileDescriptor[] got = s.getReceivedFileDescriptors();
        if (got == null) {
            return new int[0];
        }
        int[] n = new int[got.length];
        for (int k = 0; k < n.length; k++) {
            n[k] = FileDescriptorCast.duplicating(got[k]).as(Integer.class);
            new java.io.FileInputStream(got[k]).close();
        }
        return n;
    }

    private static void close(AFUNIXSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            log.debug("closing a vhost-user socket: {}", e.toString());
        }
    }

    /**
     * Stops accepting, ends the session (its rings stop once their requests in service have completed) and
     * removes the socket.
     */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("{}: closing {}: {}", device, socket, e.toString());
        }
        join(acceptor, 5_000);
        AFUNIXSocket s = current;
        if (s != null) {
            close(s);
        }
        Thread t = session;
        if (t != null) {
            join(t, Vring.STOP_WAIT_MS + 5_000);
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("{}: removing {}: {}", device, socket, e.toString());
        }
    }

    private static void join(Thread t, long ms) {
        try {
            t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
