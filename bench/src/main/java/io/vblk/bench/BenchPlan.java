package io.vblk.bench;

import io.vblk.config.Mode;
import io.vblk.config.SchedulerConfig.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * The cells of a run, grouped by backend: every (mode, policy) pair gets one backend process, which serves
 * all its cells (so a default run starts 4 backends, not 32). Modes are the outer loop and policies the inner
 * one, so that the cells compared for the scheduler's cost (fifo against sfq, same mode) run close in time.
 */
public final class BenchPlan {
    /** Descriptors per virtqueue on the bench backend, hence the most requests one device may have outstanding. */
    public static final int QUEUE_SIZE = 256;
    public static final int MAX_DEVICES = 1024;

    /** One backend process and the cells measured on it; it serves {@code devices} devices. */
    public record Group(Policy policy, Mode mode, int devices, List<Cell> cells) {
        public Group {
            cells = List.copyOf(cells);
        }
    }

    private BenchPlan() {}

    /** The cross product, grouped; throws IllegalArgumentException naming a value out of range. */
    public static List<Group> expand(List<Cell.Rw> rws, List<Integer> outstanding, List<Integer> devices,
                                     List<Policy> policies, List<Mode> modes) {
        for (int q : outstanding) {
            if (q < 1 || q > QUEUE_SIZE) {
                throw new IllegalArgumentException("--outstanding: " + q + " is out of range; allowed: 1 to " + QUEUE_SIZE
                        + " (requests outstanding per device)");
            }
        }
        for (int d : devices) {
            if (d < 1 || d > MAX_DEVICES) {
                throw new IllegalArgumentException("--devices: " + d + " is out of range; allowed: 1 to " + MAX_DEVICES);
            }
        }
        List<Group> groups = new ArrayList<>();
        for (Mode mode : distinct(modes)) {
            for (Policy policy : distinct(policies)) {
                List<Cell> cells = new ArrayList<>();
                for (Cell.Rw rw : distinct(rws)) {
                    for (int d : distinct(devices)) {
                        for (int q : distinct(outstanding)) {
                            cells.add(new Cell(rw, q, d, policy, mode));
                        }
                    }
                }
                int most = cells.stream().mapToInt(Cell::devices).max().orElse(1);
                groups.add(new Group(policy, mode, most, cells));
            }
        }
        return groups;
    }

    private static <T> List<T> distinct(List<T> xs) {
        return xs.stream().distinct().toList();
    }
}
