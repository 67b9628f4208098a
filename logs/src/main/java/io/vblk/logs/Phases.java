package io.vblk.logs;

/** The backend's four phases of a request, blktrace's Q2D (wait), D2C (service), Q2C (both) and C2R (reply). */
public record Phases(Timing q2d, Timing d2c, Timing q2c, Timing c2r) {}
