package io.vblk.vhost;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.LoggerFactory;

/** File descriptors received as numbers (memory regions, eventfds): closed exactly once, by their owner. */
final class Fds {
    private Fds() {}

    /** Closes every fd of {@code fds} that is not -1 (taken). */
    static void closeAll(int[] fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                close(fd);
            }
        }
    }

    static void close(int fd) {
        try (FileInputStream f = new FileInputStream(FileDescriptorCast.unsafeUsing(fd).as(FileDescriptor.class))) {
            // closing the stream closes the descriptor it wraps
        } catch (IOException e) {
            LoggerFactory.getLogger(Fds.class).debug("closing fd {}: {}", fd, e.toString());
        }
    }
}
