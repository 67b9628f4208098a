package io.vblk.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the admin endpoint reads and changes of a running backend; implemented by the backend. */
public interface Control {
    /** Every device's settings and counters and the scheduler's, as one JSON-able value. */
    Object state();

    /**
     * Applies {@code values} (keys that may change live) to {@code target}, a device or {@code scheduler}, and
     * returns what was applied; throws {@link ControlException} with the HTTP status that says why not.
     */
    Object change(String target, ObjectNode values) throws ControlException;
}
