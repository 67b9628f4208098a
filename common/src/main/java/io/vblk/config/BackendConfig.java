package io.vblk.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The backend's whole configuration (the {@code backend:} block of a scenario is the same record). */
public record BackendConfig(String listen, Integer port, Mode mode, Integer maxInService, SchedulerConfig scheduler,
                            DiskConfig disk, LogConfig log, LimitsConfig limits, EventLoopConfig eventLoops, AuthConfig auth,
                            TlsConfig tls, NbdConfig nbd, List<DeviceConfig> devices, AdminConfig admin) {
    /**
     * The virtio-over-TCP door's port when none is set. Not 10809: that is NBD's registered port, and an NBD
     * client pointed at it must not find vblk's own protocol there; the NBD door can take it instead.
     */
    public static final int DEFAULT_PORT = 10900;

    public BackendConfig {
        listen = listen == null ? "127.0.0.1" : listen;
        port = port == null ? DEFAULT_PORT : port;
        mode = mode == null ? Mode.AIO : mode;
        scheduler = scheduler == null ? SchedulerConfig.DEFAULT : scheduler;
        log = log == null ? new LogConfig(null, false) : log;
        limits = limits == null ? LimitsConfig.DEFAULT : limits;
        eventLoops = eventLoops == null ? EventLoopConfig.DEFAULT : eventLoops;
        // not List.copyOf: it throws on the null of an empty "-" entry, which validate() reports by index
        devices = devices == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(devices));
    }

    public BackendConfig withMode(Mode m) {
        return new BackendConfig(listen, port, m, maxInService, scheduler, disk, log, limits, eventLoops, auth, tls, nbd, devices, admin);
    }

    public BackendConfig withPort(int p) {
        return new BackendConfig(listen, p, mode, maxInService, scheduler, disk, log, limits, eventLoops, auth, tls, nbd, devices, admin);
    }

    /** Turns the NBD listener on (keeping its {@code listen}, if any) on port {@code p}. */
    public BackendConfig withNbdPort(int p) {
        NbdConfig n = new NbdConfig(nbd == null ? null : nbd.listen(), p);
        return new BackendConfig(listen, port, mode, maxInService, scheduler, disk, log, limits, eventLoops, auth, tls, n, devices, admin);
    }

    /** The address the NBD listener binds: its own {@code listen}, else the backend's. Null when NBD is off. */
    public String nbdListen() {
        return nbd == null ? null : nbd.listen() != null ? nbd.listen() : listen;
    }

    public BackendConfig withRequestLog(String path, boolean append) {
        return new BackendConfig(listen, port, mode, maxInService, scheduler, disk, new LogConfig(path, append), limits, eventLoops, auth, tls, nbd, devices, admin);
    }

    /** The index of the device named {@code name} in {@link #devices}, or -1 when there is none. */
    public int deviceIndex(String name) {
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i) != null && name.equals(devices.get(i).name())) {
                return i;
            }
        }
        return -1;
    }

    /** The mode a device is serviced in: its own, else the backend's. */
    public Mode modeOf(DeviceConfig d) {
        return d.mode() != null ? d.mode() : mode;
    }

    /** Requests one queue of this device may have in service at once. */
    public int inServiceLimit(DeviceConfig d) {
        return modeOf(d) == Mode.SYNC ? 1 : aioInServiceLimit(d);
    }

    /** Requests one queue of this device may have in service at once in aio mode, whatever its mode now. */
    public int aioInServiceLimit(DeviceConfig d) {
        Integer max = d.maxInService() != null ? d.maxInService() : maxInService;
        return max == null ? d.queueSize() : Math.min(max, d.queueSize());
    }

    public Problems validate() {
        Problems p = new Problems();
        p.require(!listen.isBlank(), "listen", "must be an address such as 127.0.0.1");
        p.require(port >= 0 && port <= 65535, "port", "must be from 0 (ephemeral) to 65535, got " + port);
        p.require(maxInService == null || maxInService >= 1, "max-in-service", "must be at least 1, got " + maxInService);
        scheduler.validate("scheduler", p);
        if (disk != null) {
            disk.validate("disk", p);
        }
        log.validate("log", p);
        limits.validate("limits", p);
        eventLoops.validate("event-loops", p);
        if (auth != null) {
            auth.validate("auth", p);
        }
        if (tls != null) {
            tls.validate("tls", p);
        }
        if (nbd != null) {
            nbd.validate("nbd", p);
        }
        if (admin != null) {
            admin.validate("admin", p);
        }
        p.require(!devices.isEmpty(), "devices", "must list at least one device");
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> sockets = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            DeviceConfig d = devices.get(i);
            String at = "devices[" + i + "]";
            if (d == null) {
                p.add(at, "is empty");
                continue;
            }
            d.validate(at, p);
            boolean mclock = scheduler.policy() == SchedulerConfig.Policy.MCLOCK;
            p.require(mclock || d.reservation() == null, at + ".reservation",
                    "applies to policy mclock only, got policy " + scheduler.policy().label());
            p.require(mclock || d.limit() == null, at + ".limit",
                    "applies to policy mclock only, got policy " + scheduler.policy().label());
            p.require(scheduler.depth().auto() || d.latencyTarget() == null, at + ".latency-target",
                    "applies to scheduler.depth auto only, got depth " + scheduler.depth());
            Integer first = d.name() == null ? null : seen.putIfAbsent(d.name(), i);
            if (first != null) {
                p.add(at + ".name", "duplicate device name '" + d.name() + "' (first at devices[" + first + "])");
            }
            Integer firstSocket = d.vhostUser() == null || d.vhostUser().socket() == null ? null
                    : sockets.putIfAbsent(d.vhostUser().socket(), i);
            if (firstSocket != null) {
                p.add(at + ".vhost-user.socket", "socket '" + d.vhostUser().socket() + "' is already devices["
                        + firstSocket + "]'s");
            }
        }
        p.require(!scheduler.depth().auto() || devices.stream().anyMatch(d -> d != null && d.latencyTarget() != null),
                "scheduler.depth", "auto needs a latency-target on at least one device");
        return p;
    }
}
