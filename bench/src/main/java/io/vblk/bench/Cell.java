package io.vblk.bench;

import io.vblk.config.Mode;
import io.vblk.config.Pattern;
import io.vblk.config.SchedulerConfig.Policy;
import java.util.Locale;

/**
 * One measurement of {@code vblk bench}: 4 KiB {@code rw} on {@code devices} RAM devices, {@code outstanding}
 * requests outstanding on each, through scheduler {@code policy} in backend mode {@code mode}.
 */
public record Cell(Rw rw, int outstanding, int devices, Policy policy, Mode mode) {
    /** The access patterns the bench measures. */
    public enum Rw {
        RANDREAD(Pattern.RANDREAD),
        RANDWRITE(Pattern.RANDWRITE);

        public final Pattern pattern;

        Rw(Pattern pattern) {
            this.pattern = pattern;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Requests outstanding over all devices. */
    public int totalInflight() {
        return outstanding * devices;
    }

    public String label() {
        return String.format(Locale.ROOT, "%s qd%d x%d %s %s", rw.label(), outstanding, devices, policy.label(), mode.label());
    }
}
