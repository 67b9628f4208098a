package io.vblk.nbd;

/** What the client sends before transmission: its flags once, then options. None holds a buffer. */
public sealed interface NbdHandshakeMessage {
    /** The 32 client flags that answer the greeting. */
    record ClientFlags(int flags) implements NbdHandshakeMessage {}

    /** An option whose data was within the bound, copied out of the stream. */
    record Option(int option, byte[] data) implements NbdHandshakeMessage {}

    /** An option whose data was over the bound; its bytes were skipped, never buffered. */
    record OversizedOption(int option, long length) implements NbdHandshakeMessage {}
}
