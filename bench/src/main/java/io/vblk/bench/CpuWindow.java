package io.vblk.bench;

import io.vblk.load.WindowListener;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU time of the backend process and of this (frontend) process over exactly the measured window: read when
 * the load runner opens the window and again when it closes it. The backend's comes from the kernel's
 * per-process accounting ({@code /proc/PID/stat} utime + stime, through {@link ProcessHandle}), the frontend's
 * from {@code OperatingSystemMXBean.getProcessCpuTime} (every thread, JIT and GC included, as for the backend).
 */
final class CpuWindow implements WindowListener {
    private final ProcessHandle backend;
    private volatile long backendStart = -1;
    private volatile long backendEnd = -1;
    private volatile long frontendStart = -1;
    private volatile long frontendEnd = -1;

    CpuWindow(ProcessHandle backend) {
        this.backend = backend;
    }

    @Override
    public void opened() {
        frontendStart = frontendCpuNanos();
        backendStart = backendCpuNanos(backend);
    }

    @Override
    public void closed() {
        backendEnd = backendCpuNanos(backend);
        frontendEnd = frontendCpuNanos();
    }

    double backendSeconds() {
        return seconds(backendStart, backendEnd);
    }

    double frontendSeconds() {
        return seconds(frontendStart, frontendEnd);
    }

    private static double seconds(long start, long end) {
        if (start < 0 || end < 0) {
            throw new IllegalStateException("CPU time not available for the measured window");
        }
        return Math.max(0, end - start) / 1e9;
    }

    static long backendCpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    static long frontendCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
