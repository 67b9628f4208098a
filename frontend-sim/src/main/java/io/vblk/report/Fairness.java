package io.vblk.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Fairness figures of a set of devices, and a one-line explanation derived only from measured figures. */
public final class Fairness {
    private Fairness() {}

    /** Jain's index over shares normalized by weight share: 1 is perfectly weighted, 1/n is one device taking all. */
    public static double jain(List<DeviceFigures> devices) {
        double sum = 0;
        double squares = 0;
        for (DeviceFigures d : devices) {
            double x = d.weightShare() == 0 ? 0 : d.share() / d.weightShare();
            sum += x;
            squares += x * x;
        }
        return squares == 0 ? 0 : sum * sum / (devices.size() * squares);
    }

    public static double maxErrorPp(List<DeviceFigures> devices) {
        return devices.stream().mapToDouble(d -> Math.abs(d.shareErrorPp())).max().orElse(0);
    }

    /** Why the shares came out as they did, in the terms the table shows: in-flight, backlog, weights. */
    public static String explain(String mode, String policy, List<DeviceFigures> devices) {
        double maxErr = maxErrorPp(devices);
        DeviceFigures least = devices.stream().min(Comparator.comparingDouble(DeviceFigures::backlogMean)).orElseThrow();
        DeviceFigures most = devices.stream().max(Comparator.comparingDouble(DeviceFigures::inflightMean)).orElseThrow();
        if (maxErr <= 3.0) {
            return String.format(Locale.ROOT, "shares follow the weights (largest error %.1f pp): every device kept "
                    + "requests waiting at the scheduler (least mean backlog %.1f, %s), so %s could choose",
                    maxErr, least.backlogMean(), least.name(), policy);
        }
        if (least.inflightMean() <= 1.05 && most.inflightMean() >= 4 && least != most) {
            return String.format(Locale.ROOT, "%s never had more than one request in the backend (mean in flight %.2f, "
                    + "peak %d) while %s kept %.1f: a weight can only reorder requests that wait, and %s's single "
                    + "request waits behind %s's", least.name(), least.inflightMean(), least.peakInflight(), most.name(),
                    most.inflightMean(), least.name(), most.name());
        }
        if (least.backlogMean() < 0.5 && !"fifo".equals(policy)) {
            return String.format(Locale.ROOT, "%s rarely had a request waiting at the scheduler (mean backlog %.2f, mean "
                    + "in flight %.2f%s): weights cannot act on an empty queue", least.name(), least.backlogMean(),
                    least.inflightMean(), "sync".equals(mode) ? ", one request per queue in sync mode" : "");
        }
        if ("fifo".equals(policy)) {
            return String.format(Locale.ROOT, "fifo ignores weights: shares follow how many requests each device keeps "
                    + "in the backend (%s)", inflights(devices));
        }
        return String.format(Locale.ROOT, "every device was backlogged (least mean backlog %.1f) yet shares miss the "
                + "weights by up to %.1f pp: the dispatch depth lets requests past the policy (%s)", least.backlogMean(),
                maxErr, inflights(devices));
    }

    private static String inflights(List<DeviceFigures> devices) {
        StringBuilder b = new StringBuilder("mean in flight");
        for (DeviceFigures d : devices) {
            b.append(String.format(Locale.ROOT, " %s %.1f", d.name(), d.inflightMean()));
        }
        return b.toString();
    }
}
