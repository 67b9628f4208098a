package io.vblk.log;

/** A log record that writes itself as one JSON object, without a JSON library on the writing thread. */
public interface JsonLine {
    void appendJson(StringBuilder b);
}
