package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A reservation's verdict against hand-computed bounds: a disk of 4 x 500 us, 8000 IOPS. */
class ReservationsTest {
    private static final FeasibleShare.Model MODEL = FeasibleShare.model("disk model 4 x 500us",
            List.of(new FeasibleShare.Demand("vm", 80, 1, 500e-6), new FeasibleShare.Demand("host", 20, 128, 500e-6)), 4);

    private static DeviceFigures device(String name, int weight, int concurrency, double iops) {
        FeasibleShare.Allocation a = MODEL.device(name);
        return new DeviceFigures(name, weight, weight / 100.0, iops, 0, 0, 0, iops, null, null, 0, null, 0, 0, concurrency, 0, 0, null,
                null, concurrency, a.share(), 0, 0, 0, null);
    }

    @Test
    void aSyncVmReservedBehindDepth32IsInfeasibleAndTheDepthThatMeetsItIsNamed() {
        DeviceFigures vm = device("vm", 80, 1, 197);
        List<DeviceFigures> all = List.of(vm, device("host", 20, 128, 7000));

        // 1 x 8000 / (32 + 1) = 242 IOPS < 1000; depth at most 1 x 8000 / 1000 - 1 = 7
        assertThat(Reservations.verdict(vm, 1000, all, 32, MODEL)).isEqualTo("vm's reservation of 1000 IOPS is "
                + "infeasible at depth 32: its 1 request in service waits behind up to 31 of the others' at a disk of "
                + "8000 IOPS, so it gets at most 1 x 8000 / (32 + 1) = 242 IOPS (its feasible share, 25 % or 2000 IOPS, "
                + "counts the disk's slots, not its queue); a depth of at most 1 x C / r - 1 = 7 would meet it; it got 197 IOPS");
        // at depth 4: 8000 / 5 = 1600 >= 1000
        assertThat(Reservations.verdict(vm, 1000, all, 4, MODEL)).isEqualTo("vm's reservation of 1000 IOPS is feasible "
                + "at depth 4 (at most 1600 IOPS); it got 197 IOPS");
        // beyond its own cap, 1 / 500 us
        assertThat(Reservations.verdict(vm, 2500, all, 4, MODEL)).startsWith("vm's reservation of 2500 IOPS is "
                + "infeasible: its 1 request in service allows at most 2000 IOPS whatever the depth");
        assertThat(Reservations.verdict(vm, 1000, all, 4, null)).isNull();
    }
}
