package io.vblk.protocol;

/** A decoder that can say how many received bytes it holds that do not yet make a whole message. */
public interface PartialInput {
    /** Bytes received but not yet decoded: a partial message. Event loop only. */
    int buffered();
}
