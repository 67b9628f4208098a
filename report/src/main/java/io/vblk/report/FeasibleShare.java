package io.vblk.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The feasible share of each device: the share a perfect weighted scheduler would give it, given what the
 * backend's concurrency lets the device ask for. A device with at most c requests in service, each holding a
 * disk slot for s seconds when alone, completes at most c / s requests per second (its demand cap), whatever
 * its weight. The disk's capacity, {@code slots} seconds of service per second, is divided by weighted
 * max-min fairness under those caps (water-filling): every device gets the rate lambda x weight, except those
 * whose cap is below it, which get their cap; lambda rises until the capacity is used or every device is at
 * its cap. The feasible share is a device's rate over the sum of the rates.
 *
 * <p>Invariants of {@link #allocate}: no rate exceeds its cap; the rates use at most {@code slots}, and all of
 * it unless every device is capped; the uncapped devices share one rate per weight, at least that of any
 * capped one. A device with no request in service (concurrency 0) gets 0 and takes nothing from the others.
 */
public final class FeasibleShare {
    private FeasibleShare() {}

    /**
     * @param concurrency the most requests the device can have in service at once
     * @param serviceSeconds how long one of its requests holds a disk slot when nothing else waits
     */
    public record Demand(String name, int weight, int concurrency, double serviceSeconds) {
        public Demand {
            if (weight < 1 || concurrency < 0 || !(serviceSeconds > 0)) {
                throw new IllegalArgumentException("a demand needs a positive weight and service time and a "
                        + "concurrency of at least 0: " + name);
            }
        }

        /** Requests per second at most. */
        public double cap() {
            return concurrency / serviceSeconds;
        }
    }

    /** One device's part: its cap and rate in requests per second, its share of all rates, and whether the cap bound. */
    public record Allocation(String name, int weight, int concurrency, double cap, double rate, double share,
                             boolean capped) {}

    /**
     * A variant's feasible shares and how they were obtained ({@code method}: the disk model or the
     * calibration, and each device's concurrency).
     */
    public record Model(String method, double capacityIops, List<Allocation> devices) {
        public Model {
            devices = List.copyOf(devices);
        }

        /** The device's allocation, or null when the model does not know it. */
        public Allocation device(String name) {
            return devices.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        }
    }

    /** Water-fills {@code slots} (seconds of disk service per second, the disk's parallelism) over the demands. */
    public static List<Allocation> allocate(List<Demand> demands, double slots) {
        if (!(slots > 0)) {
            throw new IllegalArgumentException("the disk needs at least some capacity, got " + slots + " slots");
        }
        Map<Demand, Double> rate = new LinkedHashMap<>();
        Map<Demand, Boolean> capped = new LinkedHashMap<>();
        // devices in the order their caps bind as lambda rises: the lowest cap per weight first
        List<Demand> rising = demands.stream().filter(d -> d.concurrency() > 0)
                .sorted(Comparator.comparingDouble(d -> d.cap() / d.weight())).toList();
        double remaining = slots;
        double weightedService = rising.stream().mapToDouble(d -> d.weight() * d.serviceSeconds()).sum();
        for (int i = 0; i < rising.size(); i++) {
            Demand d = rising.get(i);
            double lambda = remaining / weightedService;
            if (d.cap() <= lambda * d.weight()) {
                rate.put(d, d.cap());
                capped.put(d, true);
                remaining -= d.cap() * d.serviceSeconds();
                weightedService -= d.weight() * d.serviceSeconds();
                continue;
            }
            // this cap does not bind, so none after it (sorted) does: the rest share the level
            for (Demand rest : rising.subList(i, rising.size())) {
                rate.put(rest, lambda * rest.weight());
                capped.put(rest, false);
            }
            break;
        }
        double sum = rate.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Allocation> out = new ArrayList<>();
        for (Demand d : demands) {
            double r = rate.getOrDefault(d, 0.0);
            out.add(new Allocation(d.name(), d.weight(), d.concurrency(), d.cap(), r, sum == 0 ? 0 : r / sum,
                    capped.getOrDefault(d, false)));
        }
        return out;
    }

    /**
     * The model of a disk of {@code slots} slots, each device's service time alone its own; {@code how} says
     * where the slots and service times came from.
     */
    public static Model model(String how, List<Demand> demands, double slots) {
        List<Allocation> a = allocate(demands, slots);
        double meanService = demands.stream().mapToDouble(Demand::serviceSeconds).average().orElse(1);
        StringBuilder method = new StringBuilder(how).append(String.format(Locale.ROOT, " = %.0f IOPS; in service at most",
                slots / meanService));
        for (Allocation d : a) {
            method.append(String.format(Locale.ROOT, " %s %d (%.0f IOPS)", d.name(), d.concurrency(), d.cap()));
        }
        return new Model(method.toString(), slots / meanService, a);
    }
}
