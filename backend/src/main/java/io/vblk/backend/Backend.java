package io.vblk.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vblk.admin.AdminServer;
import io.vblk.metrics.BackendMetrics;
import io.vblk.metrics.DoorCounters;
import io.vblk.metrics.Reading;
import io.vblk.config.BackendConfig;
import io.vblk.config.DeviceConfig;
import io.vblk.config.LimitsConfig;
import io.vblk.config.SchedulerConfig;
import io.vblk.config.Secrets;
import io.vblk.config.SettingException;
import io.vblk.disk.EmulatedDisk;
import io.vblk.requestlog.RecordLog;
import io.vblk.requestlog.RunHeader;
import io.vblk.nbd.NbdDecoder;
import io.vblk.nbd.NbdEncoder;
import io.vblk.nbd.NbdHandshake;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameDecoder;
import io.vblk.protocol.FrameEncoder;
import io.vblk.protocol.PartialInput;
import io.vblk.protocol.Transport;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import io.vblk.scheduler.Policies;
import io.vblk.scheduler.Scheduler;
import io.vblk.store.BlockStore;
import io.vblk.store.FaultStore;
import io.vblk.store.FileStore;
import io.vblk.store.RamStore;
import io.vblk.vhost.VhostDoor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A running backend: its devices, the one scheduler in front of their stores, and its listeners (vblk
 * frames, and NBD when configured).
 * {@link #start} returns once it accepts connections; {@link #close} stops accepting, lets requests in
 * service finish (bounded), closes connections and flushes the stores.
 */
public final class Backend implements AutoCloseable {
    /** virtio_blk_config's seg_max and size_max: one request moves at most 4 MiB. */
    public static final int SEG_MAX = 64;
    public static final int SIZE_MAX = 64 * 1024;

    /** A device's store could not be opened; {@code device} is its index in the config. */
    public static final class DeviceOpenException extends IOException {
        public final int device;

        DeviceOpenException(int device, String message) {
            super(message);
            this.device = device;
        }
    }

    private final BackendConfig config;
    private final List<Device> devices;
    private final RequestPath path;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService ioPool;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel listener;
    // the NBD door, or null when config.nbd() is absent
    private final Channel nbdListener;
    private final Exports exports;
    private final LongSupplier clock = System::nanoTime;
    private final RecordLog requestLog;
    // writes the cures' counters into the request log; null without a log or without idling and auto depth
    private final SchedulerSampler sampler;
    private final StatsService stats;
    private final ConnectionLimit connectionLimit;
    private final TokenCheck tokens;
    private final SslContext ssl;
    // one per device with a vhost-user socket, in config order
    private final List<VhostDoor> vhostDoors;
    // the running settings, changed live through the admin endpoint
    private final LiveControl control;
    // the admin endpoint's token (null: none needed), read with the other secrets before anything opens
    private final String adminToken;
    // null unless config.admin() is set
    private final AdminServer admin;
    // each door's connections and refusals, for the metrics; vhost-user's is shared by every device's socket
    private final DoorCounters virtioDoor = new DoorCounters(DoorCounters.VIRTIO, reasons(WrongDoor.WRONG_DOOR));
    private final DoorCounters nbdDoor = new DoorCounters(DoorCounters.NBD, reasons(NbdHandshake.HANDSHAKE));
    private final DoorCounters vhostDoor = new DoorCounters(DoorCounters.VHOST_USER, VhostDoor.REFUSALS);
    // the first close closes; later ones (a test's, then its cleanup's) return at once
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    private Backend(BackendConfig config) throws IOException, InterruptedException {
        this.config = config;
        // the secrets first: they open no resources, so a bad file fails before any store is opened
        this.tokens = TokenCheck.of(config.auth());
        this.ssl = config.tls() == null ? null : Secrets.server(config.tls());
        this.adminToken = config.admin() == null || config.admin().tokenFile() == null ? null
                : Secrets.token(config.admin().tokenFile(), "admin.token-file");
        this.devices = openDevices(config);
        this.requestLog = openRequestLog(config, devices);
        int[] weights = devices.stream().mapToInt(d -> d.config().weight()).toArray();
        boolean blocking = devices.stream().anyMatch(d -> d.store().blocking());
        this.ioPool = blocking ? Executors.newFixedThreadPool(Math.min(64, config.scheduler().depth().max()),
                new DefaultThreadFactory("vblk-io", true)) : null;
        int[] reservations = devices.stream().mapToInt(d -> d.config().reservation() == null ? 0 : d.config().reservation()).toArray();
        int[] limits = devices.stream().mapToInt(d -> d.config().limit() == null ? 0 : d.config().limit()).toArray();
        SchedulerConfig sc = config.scheduler();
        int depth = sc.depth().max();
        Scheduler.Idling idling = Scheduler.Idling.of(sc.idle(), sc.inject(),
                Math.min(depth, config.disk() == null ? depth : config.disk().parallelism()), weights);
        long[] targets = devices.stream().mapToLong(d -> d.config().latencyTarget() == null ? 0
                : d.config().latencyTarget().toNanos()).toArray();
        Scheduler.DepthControl control = sc.depth().auto() ? Scheduler.DepthControl.of(depth, targets)
                : Scheduler.DepthControl.OFF;
        this.path = new RequestPath(Policies.create(sc, weights, reservations, limits), devices.size(), depth, idling, control,
                // a live change may turn idling or mclock on: the admin endpoint needs the timer from the start
                idling.idleNanos() > 0 || sc.policy() == SchedulerConfig.Policy.MCLOCK || config.admin() != null,
                config.disk() == null ? null : EmulatedDisk.Factory.of(config.disk(), clock),
                ioPool, PooledByteBufAllocator.DEFAULT, clock, requestLog);
        // idling may be turned on live: with the admin endpoint the idle counters are sampled too (a line only
        // when they move)
        boolean sampleIdle = idling.idleNanos() > 0 || config.admin() != null;
        this.sampler = requestLog == null || (!sampleIdle && !control.on()) ? null
                : new SchedulerSampler(path.scheduler(), devices.stream().map(Device::name).toList(), requestLog,
                        sampleIdle, control.on());
        Map<String, Device> byName = new LinkedHashMap<>();
        devices.forEach(d -> byName.put(d.name(), d));
        this.control = new LiveControl(config, devices, path.scheduler(), requestLog, clock, this::stats);
        this.stats = new StatsService(this::stats);
        this.connectionLimit = new ConnectionLimit(config.limits().maxConnections());
        this.exports = new Exports(byName, path, tokens);
        this.boss = Transport.group(1, "vblk-accept");
        this.workers = Transport.group(config.eventLoops().threadsOr(0), "vblk-io-loop", config.eventLoops().spin());
        this.listener = listen(config.listen(), config.port(), "listen", "port", this::initConnection, null);
        this.nbdListener = config.nbd() == null ? null : listen(config.nbdListen(), config.nbd().port(),
                config.nbd().listen() == null ? "listen" : "nbd.listen", "nbd.port", this::initNbdConnection, listener);
        this.vhostDoors = openVhostDoors();
        this.admin = openAdmin();
    }

    /** The admin endpoint, last: a port that cannot be bound closes everything and names its setting. */
    private AdminServer openAdmin() {
        if (config.admin() == null) {
            return null;
        }
        try {
            BackendMetrics metrics = new BackendMetrics(this::reading);
            return AdminServer.start(config.admin().listen(), config.admin().port(), adminToken, control,
                    Map.of("/metrics", metrics::scrape));
        } catch (IOException | RuntimeException e) {
            boolean taken = String.valueOf(e.getMessage()).contains("Address already in use");
            vhostDoors.forEach(VhostDoor::close);
            listener.close().syncUninterruptibly();
            if (nbdListener != null) {
                nbdListener.close().syncUninterruptibly();
            }
            shutdownResources();
            throw new SettingException(taken ? "admin.port" : "admin.listen", "cannot listen on "
                    + config.admin().listen() + ":" + config.admin().port() + ": " + e.getMessage());
        }
    }

    /**
     * The vhost-user doors, once the other doors listen: a socket that cannot be made closes everything and
     * names its device's setting.
     */
    private List<VhostDoor> openVhostDoors() {
        List<VhostDoor> out = new ArrayList<>();
        for (int i = 0; i < config.devices().size(); i++) {
            DeviceConfig dc = config.devices().get(i);
            if (dc.vhostUser() == null) {
                continue;
            }
            String key = "devices[" + i + "].vhost-user.socket";
            String refused = null;
            if (!Transport.nativeEpoll()) {
                refused = "a vhost-user door needs Linux's native epoll transport (it waits for the guest's kicks on "
                        + "an event loop), which is off here";
            } else {
                try {
                    out.add(VhostDoor.open(dc.name(), Path.of(dc.vhostUser().socket()), exports, workers,
                            config.limits().maxConnectionMemory().bytes(), vhostDoor));
                } catch (IOException | RuntimeException e) {
                    refused = "cannot listen on " + dc.vhostUser().socket() + ": " + e.getMessage();
                }
            }
            if (refused != null) {
                out.forEach(VhostDoor::close);
                listener.close().syncUninterruptibly();
                if (nbdListener != null) {
                    nbdListener.close().syncUninterruptibly();
                }
                shutdownResources();
                throw new SettingException(key, refused);
            }
        }
        return List.copyOf(out);
    }

    /** The per-request log, or null; a path that cannot be written names its setting (and closes the stores). */
    private static RecordLog openRequestLog(BackendConfig config, List<Device> devices) throws IOException {
        if (config.log().requests() == null) {
            return null;
        }
        try {
            String modes = String.join("+", config.devices().stream().map(d -> config.modeOf(d).label()).distinct().toList());
            return RecordLog.open(Path.of(config.log().requests()), "requests", RunHeader.start("backend", modes, config),
                    config.log().append());
        } catch (IOException e) {
            closeStores(devices);
            throw new SettingException("log.requests", "cannot write " + config.log().requests() + ": " + why(e));
        }
    }

    /** The reason in an exception from the file system, which often carries only the request path. */
    private static String why(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is a file, not a directory";
        }
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * Binds one door; both share the event loops, the connection limit and the set of open channels. If it
     * cannot bind, {@code opened} (a door already bound, or null) is closed with everything else, and the
     * failure names {@code portKey} when the port is taken, else {@code hostKey}.
     */
    private Channel listen(String host, int port, String hostKey, String portKey, Consumer<Channel> init, Channel opened) {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(config.limits()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        init.accept(ch);
                    }
                });
        try {
            return b.bind(host, port).sync().channel();
        } catch (Exception e) {
            if (opened != null) {
                opened.close().syncUninterruptibly();
            }
            shutdownResources();
            // NIO says BindException, epoll a NativeIoException: both say "Address already in use"
            boolean taken = String.valueOf(e.getMessage()).contains("Address already in use");
            String why = e instanceof UnresolvedAddressException ? "the address does not resolve"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new SettingException(taken ? portKey : hostKey, "cannot listen on " + host + ":" + port + ": " + why);
        }
    }

    /**
     * The handlers of one connection. The wrong-door check comes first, since it judges the first bytes as
     * the client sent them; then TLS, when on; then the idle guard, so that it sees every
     * read. The handlers that need each other get one another, or the {@link Connection}, when built; the
     * guards raise refusals to the last handler, which words them as ERROR frames.
     */
    void initConnection(Channel ch) {
        LimitsConfig limits = config.limits();
        ch.pipeline().addLast("door", new WrongDoor(ssl != null, limits.firstByteTimeout(), this::nbdDoor, virtioDoor));
        if (ssl != null) {
            ch.pipeline().addLast("tls", NbdHandshake.tlsHandler(ssl, ch.alloc(), limits.idleTimeout()));
        }
        FrameDecoder decoder = new FrameDecoder(FrameCodec.MAX_CONTROL_BODY);
        Connection connection = connection(ch, decoder);
        door(ch, virtioDoor, connection, decoder, FrameEncoder.INSTANCE, Connection.ERROR_FRAME,
                new StatsHandler(stats, tokens, connection), new HandshakeHandler(exports, connection, decoder));
    }

    /** Where the NBD door listens, as a client would dial it, or null when there is none. */
    private String nbdDoor() {
        if (config.nbd() == null) {
            return null;
        }
        // a vblk connection may come in before the NBD door is bound: the configured port then
        InetSocketAddress a = nbdListener == null ? null : (InetSocketAddress) nbdListener.localAddress();
        return a == null ? config.nbdListen() + ":" + config.nbd().port() : a.getHostString() + ":" + a.getPort();
    }

    /**
     * The handlers of one NBD connection: the same guards as {@link #initConnection} around NBD's codec and
     * handshake; TLS is added first by the handshake on STARTTLS. NBD has no message that refuses a
     * connection: a refusal closes it.
     */
    void initNbdConnection(Channel ch) {
        LimitsConfig limits = config.limits();
        NbdDecoder decoder = new NbdDecoder();
        Connection connection = connection(ch, decoder);
        door(ch, nbdDoor, connection, decoder, NbdEncoder.INSTANCE, NbdHandshake.REFUSAL,
                new NbdHandshake(exports, ssl, limits.idleTimeout(), connection, decoder, nbdDoor));
    }

    private Connection connection(Channel ch, PartialInput decoder) {
        LimitsConfig limits = config.limits();
        return new Connection(new ReadGate(ch, limits.maxConnectionMemory().bytes()),
                new IdleGuard(limits.idleTimeout(), decoder));
    }

    // what both doors share around their codec and their own handlers: the deadlines first, so that they see
    // every read; the guards; and last the handler every refusal ends in, worded in the door's form
    private void door(Channel ch, DoorCounters counters, Connection connection, ChannelHandler decoder,
                      ChannelHandler encoder, Connection.RefusalForm form, ChannelHandler... handlers) {
        counters.opened();
        ch.closeFuture().addListener(f -> counters.closed());
        ChannelPipeline p = ch.pipeline().addLast("idle", connection.deadlines)
                .addLast("flush", new FlushConsolidationHandler(256, true))
                .addLast("decoder", decoder)
                .addLast("encoder", encoder)
                .addLast("limit", connectionLimit)
                .addLast("gate", connection.gate);
        p.addLast(handlers);
        p.addLast("errors", new ErrorHandler(connection, form, counters));
    }

    /** Replies may back up to max-connection-memory before the connection stops being read. */
    private static WriteBufferWaterMark waterMark(LimitsConfig limits) {
        int high = (int) Math.min(Integer.MAX_VALUE, limits.maxConnectionMemory().bytes());
        return new WriteBufferWaterMark(high / 2, high);
    }

    /**
     * Starts serving. A token file or certificate that cannot be used throws
     * {@link io.vblk.config.SettingException} naming its setting; nothing is left open then.
     */
    public static Backend start(BackendConfig config) throws IOException {
        try {
            return new Backend(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
    }

    private static List<Device> openDevices(BackendConfig config) throws IOException {
        List<Device> out = new ArrayList<>();
        try {
            for (int i = 0; i < config.devices().size(); i++) {
                DeviceConfig dc = config.devices().get(i);
                BlockStore store;
                if (dc.isFile()) {
                    try {
                        store = FileStore.open(Path.of(dc.filePath()), dc.size().bytes(), dc.readOnly(), dc.direct(),
                                SEG_MAX * SIZE_MAX, dc.create());
                    } catch (IOException e) {
                        throw new DeviceOpenException(i, e.getMessage());
                    }
                } else {
                    store = new RamStore(dc.size().bytes());
                }
                if (dc.fault() != null) {
                    store = new FaultStore(store, dc.fault());
                }
                out.add(new Device(dc, i, config.modeOf(dc), config.aioInServiceLimit(dc), store, SEG_MAX, SIZE_MAX));
            }
        } catch (IOException e) {
            closeStores(out);
            throw e;
        }
        return out;
    }

    private static void closeStores(List<Device> devices) throws IOException {
        for (Device d : devices) {
            d.store().close();
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The NBD listener's address, or null when NBD is off. */
    public InetSocketAddress nbdAddress() {
        return nbdListener == null ? null : (InetSocketAddress) nbdListener.localAddress();
    }

    /** Device names, the NBD export names, in config order. */
    public List<String> deviceNames() {
        return exports.names();
    }

    public BackendConfig config() {
        return config;
    }

    /** The admin endpoint's address, or null when it is off. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    public BackendStats stats() {
        return stats(path.scheduler().snapshot());
    }

    private BackendStats stats(Scheduler.Snapshot s) {
        // the running settings: the loaded ones until a live change (control is null only while starting)
        BackendConfig config = control == null ? this.config : control.config();
        List<DeviceStats> list = new ArrayList<>();
        for (Device d : devices) {
            list.add(d.stats(s.flows().get(d.index()), s.nanos()));
        }
        EmulatedDisk<?> disk = path.disk();
        return new BackendStats(s.nanos(), config.scheduler().policy().label(), config.scheduler().depth().max(),
                s.allBackloggedNanos(), s.lagNanos(), disk == null ? 0 : disk.config().parallelism(),
                disk == null ? 0 : disk.busyNanos(), list);
    }

    /**
     * What one scrape of {@code /metrics} reads: {@link #stats()} and the figures the metrics add, from one
     * scheduler snapshot; only the doors configured.
     */
    public Reading reading() {
        Scheduler scheduler = path.scheduler();
        Scheduler.Snapshot s = scheduler.snapshot();
        BackendStats stats = stats(s);
        List<Reading.Device> list = new ArrayList<>();
        for (Device d : devices) {
            Scheduler.FlowSnapshot f = s.flows().get(d.index());
            list.add(new Reading.Device(stats.devices().get(d.index()), d.completedByType(), d.bytesByType(),
                    d.cancelled.sum(), d.heldNow(), f.inScheduler(), f.waiting(), d.serviceLimit(), d.q2d(), d.d2c()));
        }
        List<DoorCounters> doors = new ArrayList<>(List.of(virtioDoor));
        if (config.nbd() != null) {
            doors.add(nbdDoor);
        }
        if (!vhostDoors.isEmpty()) {
            doors.add(vhostDoor);
        }
        return new Reading(stats, list, new Reading.Scheduler(scheduler.depth(), scheduler.dispatchedNow(),
                scheduler.holds()), doors);
    }

    // a TCP door's refusal reasons: every error code, a failed TLS handshake, and the door's own
    private static List<String> reasons(String own) {
        List<String> out = new ArrayList<>();
        for (io.vblk.protocol.ErrorCode c : io.vblk.protocol.ErrorCode.values()) {
            out.add(ErrorHandler.reason(c));
        }
        out.add(DoorCounters.TLS);
        out.add(own);
        return out;
    }

    /** Requests received and neither answered nor cancelled, over every device and connection. */
    public long unanswered() {
        long n = 0;
        for (Device d : devices) {
            n += d.received.sum() - d.completed() - d.cancelled.sum();
        }
        return n;
    }

    /**
     * The most bytes any one open connection holds right now: request data not yet stored plus replies not
     * yet written to its socket.
     */
    public long maxConnectionBuffered() {
        long max = 0;
        for (Channel ch : channels) {
            ReadGate g = ch.attr(ReadGate.KEY).get();
            if (g != null) {
                max = Math.max(max, g.buffered());
            }
        }
        return max;
    }

    /** Connections open now, including ones being refused. */
    public int openConnections() {
        return connectionLimit.open();
    }

    /** Each vhost-user door's socket, by device name, in config order. */
    public Map<String, Path> vhostSockets() {
        Map<String, Path> out = new LinkedHashMap<>();
        vhostDoors.forEach(d -> out.put(d.device(), d.socket()));
        return out;
    }

    /** vhost-user front-ends being served now, over every device. */
    public int vhostFrontEnds() {
        return (int) vhostDoors.stream().filter(VhostDoor::serving).count();
    }

    /** Requests of every device dispatched to the store or disk and not yet completed. */
    public int schedulerDispatched() {
        return path.scheduler().dispatchedNow();
    }

    /**
     * Stops accepting connections and reading requests, waits up to {@code drain} until every request
     * received has been answered, then closes every connection and flushes and closes the stores. Only the
     * first call does it; any later one returns at once.
     */
    public void close(long drain, TimeUnit unit) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (admin != null) {
            admin.close();
        }
        listener.close().syncUninterruptibly();
        if (nbdListener != null) {
            nbdListener.close().syncUninterruptibly();
        }
        // a vhost-user ring stops once its requests in service have completed, as on GET_VRING_BASE
        vhostDoors.forEach(VhostDoor::close);
        for (Channel ch : channels) {
            ReadGate g = ch.attr(ReadGate.KEY).get();
            if (g != null) {
                g.stop();
            }
        }
        long deadline = System.nanoTime() + unit.toNanos(drain);
        while (unanswered() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.close().syncUninterruptibly();
        shutdownResources();
    }

    @Override
    public void close() {
        close(10, TimeUnit.SECONDS);
    }

    private void shutdownResources() {
        stats.close();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        path.close();
        if (ioPool != null) {
            ioPool.shutdown();
            try {
                ioPool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sampler != null) {
            sampler.close();
        }
        if (requestLog != null) {
            requestLog.close();
        }
        for (Device d : devices) {
            try {
                d.store().close();
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(Backend.class).warn("{}: closing the store failed: {}", d.name(), e.toString());
            }
        }
    }
}
