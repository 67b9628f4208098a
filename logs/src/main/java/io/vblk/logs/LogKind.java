package io.vblk.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.vblk.requestlog.GuestRecord;

/** The two request logs: the backend's ({@link RequestRecord}, with {@code q}) and the frontend's ({@link GuestRecord}, with {@code submit}). */
public enum LogKind {
    BACKEND("backend"),
    FRONTEND("frontend");

    private final String label;

    LogKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The kind a JSON object belongs to, or null when it is neither. */
    static LogKind of(JsonNode object) {
        // "submit" first: a future frontend record might also carry a "q", a backend one never a "submit"
        if (object.has("submit")) {
            return FRONTEND;
        }
        return object.has("q") ? BACKEND : null;
    }

    static LogKind of(Class<?> type) {
        return type == GuestRecord.class ? FRONTEND : BACKEND;
    }
}
