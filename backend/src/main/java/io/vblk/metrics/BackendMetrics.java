package io.vblk.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vblk.admin.AdminServer;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The backend's Prometheus metrics, read at scrape time: one {@link Reading} per scrape, turned into metric
 * families by a collector of the Prometheus Java client and written in its text format. Nothing here runs per
 * request; what is recorded per request (Q2D, D2C) is in {@link LatencyHistogram}s the backend keeps per
 * device. Names follow Prometheus' conventions (a {@code vblk_} prefix, base units, {@code _total} on counters)
 * and docs/glossary.md's words; docs/admin.md lists them.
 */
public final class BackendMetrics {
    private static final double NANOS = 1e9;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final OpenMetricsTextFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

    /** {@code source} is called once per scrape, on the scraping thread (the admin endpoint's). */
    public BackendMetrics(Supplier<Reading> source) {
        registry.register((MultiCollector) () -> snapshots(source.get()));
    }

    /**
     * One scrape: every metric family, in OpenMetrics when {@code accept} (a request's Accept header, or null)
     * names it, as a Prometheus server's does, else in the text format 0.0.4 every scraper reads. The client
     * looks for the media type only (a {@code q=0} on it still picks it); protobuf is not offered, since the
     * client's protobuf writer needs a jar vblk does not ship.
     */
    public AdminServer.Page scrape(String accept) {
        ExpositionFormatWriter writer = openMetrics.accepts(accept) ? openMetrics : text;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AdminServer.Page(writer.getContentType(), out.toByteArray());
    }

    static MetricSnapshots snapshots(Reading r) {
        List<MetricSnapshot> out = new ArrayList<>();
        devices(r, out);
        scheduler(r, out);
        doors(r, out);
        return new MetricSnapshots(out);
    }

    private static void devices(Reading r, List<MetricSnapshot> out) {
        List<Reading.Device> ds = r.devices();
        out.add(counter("vblk_device_received_requests", "Requests received: decoded by their door and handed to "
                + "the device's queue.", null, ds, d -> d.stats().received()));
        CounterSnapshot.Builder completed = CounterSnapshot.builder().name("vblk_device_completed_requests")
                .help("Requests completed and answered, by type (read, write, other: flush, discard, write-zeroes, "
                        + "get-id), errors included.");
        CounterSnapshot.Builder bytes = CounterSnapshot.builder().name("vblk_device_bytes").unit(Unit.BYTES)
                .help("Data bytes moved by requests completed without error, by type.");
        for (Reading.Device d : ds) {
            for (int t = 0; t < Reading.TYPES.size(); t++) {
                Labels l = Labels.of("device", d.stats().name(), "type", Reading.TYPES.get(t));
                completed.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(d.completedByType()[t]).build());
                bytes.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(d.bytesByType()[t]).build());
            }
        }
        out.add(completed.build());
        out.add(bytes.build());
        out.add(counter("vblk_device_errors", "Requests completed with an error status.", null, ds,
                d -> d.stats().errors()));
        out.add(counter("vblk_device_cancelled_requests", "Requests received and never answered: their connection "
                + "went away.", null, ds, Reading.Device::cancelled));
        out.add(gauge("vblk_device_held_requests", "Requests held now: received and not yet answered.", null, ds,
                Reading.Device::held));
        // the glossary's queued is "the rest of held": two readings taken a moment apart may cross, hence the floor
        out.add(gauge("vblk_device_queued_requests", "Requests queued now: held and not in service, waiting in "
                + "their device queue (and, for the hop back to their event loop, completed and not yet answered).",
                null, ds, d -> Math.max(0, d.held() - d.inService())));
        out.add(gauge("vblk_device_admitted_requests", "Requests admitted and waiting at the scheduler now (the "
                + "device is backlogged while this is above 0).", null, ds, Reading.Device::admitted));
        out.add(gauge("vblk_device_dispatched_requests", "Requests dispatched now: handed to the emulated disk or the "
                + "store, not yet completed.", null, ds, d -> d.inService() - d.admitted()));
        out.add(gauge("vblk_device_in_service_requests", "Requests in service now: admitted or dispatched, not yet "
                + "completed.", null, ds, Reading.Device::inService));
        out.add(gauge("vblk_device_peak_in_service_requests", "The most requests of the device in service at once "
                + "since the backend started.", null, ds, d -> d.stats().peakInService()));
        out.add(gauge("vblk_device_max_in_service_requests", "What one queue of the device may have in service at "
                + "once now: 1 in sync mode, max-in-service in aio mode.", null, ds, Reading.Device::maxInService));
        out.add(gauge("vblk_device_weight", "The device's scheduler weight now.", null, ds, d -> d.stats().weight()));
        out.add(counter("vblk_device_dispatches", "Scheduler decisions that dispatched a request of the device.",
                null, ds, d -> d.stats().dispatched()));
        out.add(counter("vblk_device_dispatches_all_backlogged", "Dispatches of the device decided while every "
                + "attached device was backlogged: the only ones the weights alone decide.", null, ds,
                d -> d.stats().dispatchedAllBacklogged()));
        out.add(counter("vblk_device_backlogged_seconds", "Time during which the device had a request admitted and "
                + "waiting at the scheduler.", Unit.SECONDS, ds, d -> d.stats().backloggedNanos() / NANOS));
        out.add(counter("vblk_device_idle_seconds", "Time the scheduler kept the disk idle for the device, "
                + "waiting for its next request (scheduler.idle).", Unit.SECONDS, ds, d -> d.stats().idleNanos() / NANOS));
        CounterSnapshot.Builder periods = CounterSnapshot.builder().name("vblk_device_idle_periods")
                .help("Idle periods for the device (scheduler.idle), by how they ended: its next request's arrival, "
                        + "or a timeout.");
        for (Reading.Device d : ds) {
            periods.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("device", d.stats().name(), "end",
                    "arrival")).value(d.stats().idleArrivals()).build());
            periods.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("device", d.stats().name(), "end",
                    "timeout")).value(d.stats().idleTimeouts()).build());
        }
        out.add(periods.build());
        List<Reading.Device> auto = ds.stream().filter(d -> d.stats().depth() != null).toList();
        if (!auto.isEmpty()) {
            out.add(gauge("vblk_device_depth", "The device's latency-driven depth now (scheduler.depth: auto): the "
                    + "most of its requests in the scheduler at once.", null, auto, d -> d.stats().depth().depth()));
            out.add(counter("vblk_device_latency_misses", "Windows in which the device missed its latency target.",
                    null, auto, d -> d.stats().depth().latencyMisses()));
        }
        out.add(histogram("vblk_device_q2d_seconds", "Q2D: from received to dispatched (queued and admitted), per "
                + "request.", ds, Reading.Device::q2d));
        out.add(histogram("vblk_device_d2c_seconds", "D2C: from dispatched to completed by the store (the emulated "
                + "disk's queue and service, and the store), per request.", ds, Reading.Device::d2c));
    }

    private static void scheduler(Reading r, List<MetricSnapshot> out) {
        BackendStats s = r.stats();
        Reading.Scheduler sc = r.scheduler();
        out.add(InfoSnapshot.builder().name("vblk_scheduler").help("The scheduler's policy now.")
                .dataPoint(new InfoSnapshot.InfoDataPointSnapshot(Labels.of("policy", s.policy()))).build());
        out.add(gauge("vblk_scheduler_depth", "The most requests dispatched at once now (scheduler.depth).",
                sc.depth()));
        out.add(gauge("vblk_scheduler_dispatched_requests", "Requests of every device dispatched now.",
                sc.dispatchedNow()));
        out.add(CounterSnapshot.builder().name("vblk_scheduler_dispatches")
                .help("Scheduler decisions that dispatched a request, over every device.")
                .dataPoint(CounterDataPointSnapshot.builder().value(
                        s.devices().stream().mapToLong(DeviceStats::dispatched).sum()).build()).build());
        out.add(CounterSnapshot.builder().name("vblk_scheduler_holds")
                .help("Scheduler decisions that dispatched nothing while requests waited and the depth had room: held "
                        + "back by idling or by the policy (ioband's throttle, mclock's limits).")
                .dataPoint(CounterDataPointSnapshot.builder().value(sc.holds()).build()).build());
        out.add(counter("vblk_scheduler_all_backlogged_seconds", "Time during which every attached device was "
                + "backlogged.", Unit.SECONDS, s.allBackloggedNanos() / NANOS));
        out.add(counter("vblk_scheduler_dispatch_lag_seconds", "Time during which a dispatch was possible and no "
                + "backend thread had taken it yet.", Unit.SECONDS, s.dispatchLagNanos() / NANOS));
        if (s.diskSlots() > 0) {
            out.add(gauge("vblk_disk_slots", "The emulated disk's parallelism (disk.parallelism).", s.diskSlots()));
            out.add(counter("vblk_disk_busy_seconds", "The emulated disk's busy slot-seconds, by its model.",
                    Unit.SECONDS, s.diskBusyNanos() / NANOS));
        }
    }

    private static void doors(Reading r, List<MetricSnapshot> out) {
        CounterSnapshot.Builder connections = CounterSnapshot.builder().name("vblk_door_connections")
                .help("Connections accepted by the door (vhost-user: front-end sessions), refused ones included.");
        GaugeSnapshot.Builder open = GaugeSnapshot.builder().name("vblk_door_open_connections")
                .help("Connections of the door open now.");
        CounterSnapshot.Builder refusals = CounterSnapshot.builder().name("vblk_door_refusals")
                .help("Connections the door refused, by reason.");
        for (DoorCounters d : r.doors()) {
            Labels door = Labels.of("door", d.door());
            connections.dataPoint(CounterDataPointSnapshot.builder().labels(door).value(d.connections()).build());
            open.dataPoint(GaugeDataPointSnapshot.builder().labels(door).value(d.openConnections()).build());
            d.refusals().forEach((reason, n) -> refusals.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(Labels.of("door", d.door(), "reason", reason)).value(n).build()));
        }
        out.add(connections.build());
        out.add(open.build());
        out.add(refusals.build());
    }

    private static CounterSnapshot counter(String name, String help, Unit unit, List<Reading.Device> ds,
                                           ToDoubleFunction<Reading.Device> value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        for (Reading.Device d : ds) {
            b.dataPoint(CounterDataPointSnapshot.builder().labels(device(d)).value(value.applyAsDouble(d)).build());
        }
        return b.build();
    }

    private static CounterSnapshot counter(String name, String help, Unit unit, double value) {
        return CounterSnapshot.builder().name(name).help(help).unit(unit)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeSnapshot gauge(String name, String help, Unit unit, List<Reading.Device> ds,
                                       ToDoubleFunction<Reading.Device> value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        for (Reading.Device d : ds) {
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(device(d)).value(value.applyAsDouble(d)).build());
        }
        return b.build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static HistogramSnapshot histogram(String name, String help, List<Reading.Device> ds,
                                               Function<Reading.Device, LatencyHistogram> h) {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help).unit(Unit.SECONDS);
        for (Reading.Device d : ds) {
            b.dataPoint(h.apply(d).snapshot(device(d)));
        }
        return b.build();
    }

    private static Labels device(Reading.Device d) {
        return Labels.of("device", d.stats().name());
    }
}
