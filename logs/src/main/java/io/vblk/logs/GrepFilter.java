package io.vblk.logs;

import java.util.function.Predicate;
import io.vblk.requestlog.RequestRecord;

/**
 * Which backend records {@code vblk logs grep} prints: each criterion is optional (null matches all); type and
 * status ignore case, the device name does not; {@code slowerThanNs} is compared with Q2C, strictly.
 */
public record GrepFilter(String device, String type, Long slowerThanNs, String status) implements Predicate<RequestRecord> {

    @Override
    public boolean test(RequestRecord r) {
        return (device == null || device.equals(r.device()))
                && (type == null || type.equalsIgnoreCase(r.type()))
                && (status == null || status.equalsIgnoreCase(r.status()))
                && (slowerThanNs == null || r.q2c() > slowerThanNs);
    }
}
