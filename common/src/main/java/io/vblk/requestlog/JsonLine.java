package io.vblk.requestlog;

/** A log record that writes itself as one flat JSON object, without a JSON library on the writing thread. */
public interface JsonLine {
    void writeJson(JsonLineWriter w);

    /** The record as one JSON object (no newline), for tools and tests. */
    default String toJson() {
        JsonLineWriter w = new JsonLineWriter().reset().begin();
        writeJson(w);
        return w.end().toString();
    }
}
