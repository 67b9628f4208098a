package io.vblk.guest;

import io.vblk.config.GuestSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One guest running under QEMU: its disks are vblk devices over their vhost-user sockets (one
 * {@code vhost-user-blk-pci} each, in the spec's order, so the first is /dev/vda), its memory a shared memfd
 * (the backend must see the rings), its console QEMU's stdout. The console is kept in a file and read for
 * the load program's lines, which complete this object's futures: the processes run, the window opened, it
 * closed, and what each disk did in it.
 */
public final class GuestVm implements AutoCloseable {
    /** Booting to the load program's first line; generous, since TCG on a busy host is slow. */
    static final Duration BOOT = Duration.ofSeconds(180);
    /** Beyond warm-up or window, what the guest may take to report the next edge. */
    static final Duration SLACK = Duration.ofSeconds(60);

    /** What one disk of the guest did in the window, by the load program's own count and by the guest kernel's. */
    public record DiskTally(String disk, long ios, long bytes, long errors, long kernelCompleted,
                            Map<Long, Long> latencyBuckets) {}

    private final GuestSpec spec;
    private final Process process;
    private final Path console;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CompletableFuture<List<DiskTally>> done = new CompletableFuture<>();
    // the console reader's: the last lines, for the message when the guest fails
    private final Deque<String> tail = new ArrayDeque<>();

    private GuestVm(GuestSpec spec, Process process, Path console) {
        this.spec = spec;
        this.process = process;
        this.console = console;
    }

    /**
     * Boots {@code spec} on {@code image}; {@code sockets} are the vhost-user sockets of its devices and
     * {@code queues} their virtqueue counts, by device name. {@code progress} gets a line at each edge.
     */
    public static GuestVm start(GuestSpec spec, GuestTools tools, GuestImage image, String accel,
                                Map<String, Path> sockets, Map<String, Integer> queues, Duration warmup,
                                Duration duration, Path workDir, String name, Consumer<String> progress)
            throws IOException {
        long mib = spec.memory().bytes() >> 20;
        List<String> disks = new ArrayList<>();
        for (int i = 0; i < spec.devices().size(); i++) {
            disks.add("vd" + (char) ('a' + i));
        }
        String args = String.join(",", seconds(warmup), seconds(duration), Integer.toString(spec.processes()),
                Integer.toString(spec.readPercent()), Long.toString(spec.blockSize().bytes()), String.join(",", disks));
        List<String> cmd = new ArrayList<>(List.of(tools.qemu().toString(), "-accel", accel, "-m", mib + "M", "-smp",
                Integer.toString(spec.cpus()), "-nographic", "-no-reboot", "-nic", "none",
                "-kernel", image.kernel().toString(), "-initrd", image.initramfs().toString(),
                "-append", "console=ttyS0 quiet loglevel=1 panic=-1 vblk.args=" + args,
                "-object", "memory-backend-memfd,id=mem,size=" + mib + "M,share=on", "-numa", "node,memdev=mem"));
        if (accel.equals("kvm")) {
            cmd.addAll(List.of("-cpu", "host"));
        }
        for (int i = 0; i < spec.devices().size(); i++) {
            String device = spec.devices().get(i);
            cmd.addAll(List.of("-chardev", "socket,id=vu" + i + ",path=" + sockets.get(device),
                    "-device", "vhost-user-blk-pci,chardev=vu" + i + ",num-queues=" + queues.getOrDefault(device, 1)));
        }
        Files.createDirectories(workDir);
        Path console = workDir.resolve(name + "." + spec.name() + ".console.txt");
        Files.writeString(workDir.resolve(name + "." + spec.name() + ".qemu-command.txt"), String.join(" ", cmd) + "\n");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        GuestVm vm = new GuestVm(spec, p, console);
        Thread reader = new Thread(() -> vm.read(disks, progress), "guest-console-" + spec.name());
        reader.setDaemon(true);
        reader.start();
        progress.accept(spec.name() + ": booting under QEMU (" + accel + "), " + spec.devices().size() + " disk(s), "
                + spec.processes() + " processes each");
        return vm;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    public GuestSpec spec() {
        return spec;
    }

    public Path console() {
        return console;
    }

    private void read(List<String> disks, Consumer<String> progress) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Map<Long, Long>> latency = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(console), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.println(line);
                line = line.replace("\r", "");
                remember(line);
                int at = line.indexOf("vblk-guest: ");
                if (at < 0) {
                    continue;
                }
                String[] w = line.substring(at + "vblk-guest: ".length()).trim().split("\\s+");
                switch (w[0]) {
                    case "started" -> {
                        progress.accept(spec.name() + ": " + w[2] + " processes running on each of " + w[1] + " disk(s)");
                        started.complete(null);
                    }
                    case "open" -> opened.complete(null);
                    case "close" -> closed.complete(null);
                    case "disk" -> counts.put(w[1], new long[] {Long.parseLong(w[3]), Long.parseLong(w[5]),
                            Long.parseLong(w[7]), Long.parseLong(w[12]) + Long.parseLong(w[13])
                            - Long.parseLong(w[9]) - Long.parseLong(w[10])});
                    case "lat" -> {
                        Map<Long, Long> buckets = new LinkedHashMap<>();
                        for (int i = 2; i < w.length; i++) {
                            String[] kv = w[i].split(":");
                            buckets.put(Long.parseLong(kv[0]), Long.parseLong(kv[1]));
                        }
                        latency.put(w[1], buckets);
                    }
                    case "done" -> {
                        List<DiskTally> out = new ArrayList<>();
                        for (int i = 0; i < disks.size(); i++) {
                            long[] c = counts.get(disks.get(i));
                            if (c == null) {
                                throw new IOException("the guest reported no counts for " + disks.get(i));
                            }
                            out.add(new DiskTally(disks.get(i), c[0], c[1], c[2], c[3],
                                    latency.getOrDefault(disks.get(i), Map.of())));
                        }
                        done.complete(out);
                    }
                    default -> {
                        // ready, exit N, no disk: kept in the console file
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            fail("the guest's console could not be read: " + e.getMessage());
            return;
        }
        fail("QEMU exited" + exitCode() + " before the guest finished");
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? " (code " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private synchronized void remember(String line) {
        tail.addLast(line);
        while (tail.size() > 15) {
            tail.removeFirst();
        }
    }

    private synchronized String lastLines() {
        return String.join("\n  ", tail);
    }

    private void fail(String why) {
        IOException e = new IOException(spec.name() + ": " + why + "; its console (" + console + ") ended:\n  "
                + lastLines());
        started.completeExceptionally(e);
        opened.completeExceptionally(e);
        closed.completeExceptionally(e);
        done.completeExceptionally(e);
    }

    /** Waits until the load program's processes run. */
    public void awaitStarted() throws IOException {
        await(started, BOOT, "boot and start its processes");
    }

    public void awaitOpened(Duration warmup) throws IOException {
        await(opened, warmup.plus(SLACK), "end its warm-up");
    }

    public void awaitClosed(Duration duration) throws IOException {
        await(closed, duration.plus(SLACK), "end its window");
    }

    /** What each disk did in the window, once the load program has finished. */
    public List<DiskTally> awaitDone() throws IOException {
        return await(done, SLACK, "finish and report");
    }

    private <T> T await(CompletableFuture<T> f, Duration limit, String what) throws IOException {
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(spec.name() + ": the guest did not " + what + " within " + limit.toSeconds()
                    + " s; its console (" + console + ") ended:\n  " + lastLines());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the guest to " + what);
        }
    }

    // the probe's answer, once per JVM: KVM where it works, else TCG
    private static volatile String accel;

    /**
     * "kvm" when KVM boots a kernel here, else "tcg". Here {@code -accel kvm} aborts at start (a PVM host), so
     * it is probed in a bounded way: a KVM guest must boot the kernel to its panic (no init) within 20 s.
     */
    public static String accel(GuestTools tools, GuestImage image) {
        String a = accel;
        if (a != null) {
            return a;
        }
        a = "tcg";
        Path kvm = Path.of("/dev/kvm");
        if (Files.isReadable(kvm) && Files.isWritable(kvm)) {
            try {
                Process p = new ProcessBuilder(tools.qemu().toString(), "-accel", "kvm", "-cpu", "host", "-m", "128M",
                        "-nographic", "-no-reboot", "-nic", "none", "-kernel", image.kernel().toString(), "-append",
                        "console=ttyS0 panic=-1 rdinit=/nonexistent init=/nonexistent").redirectErrorStream(true).start();
                CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                });
                boolean ended = p.waitFor(20, TimeUnit.SECONDS);
                if (!ended) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                if (ended && p.exitValue() == 0 && out.get(5, TimeUnit.SECONDS).contains("Kernel panic")) {
                    a = "kvm";
                }
            } catch (IOException | ExecutionException | TimeoutException e) {
                // no KVM, then
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        accel = a;
        return a;
    }

    /** Stops QEMU: at once when the guest failed, else once it has powered off by itself (bounded). */
    @Override
    public void close() {
        try {
            if (!done.isDone() || done.isCompletedExceptionally()) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } else if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
