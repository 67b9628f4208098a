package io.vblk.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verify ledger on disk, so a later run (after a crash and restart) knows which generation each block
 * must hold:
 * <pre>
 * {"flushes": N, "blocks_written": N, "blocks_flushed": N,
 *  "devices": {"img": {"flushes": N, "blocks_written": N, "blocks_flushed": N,
 *                      "blocks": [{"block": B, "sent": G, "acked": G, "flushed": G}, ...]}}}
 * </pre>
 * A generation of 0 means none. Written to a temporary file and moved into place, so a reader never sees
 * half a ledger.
 */
public final class LedgerFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One device's part of the ledger. */
    public record Device(long flushes, List<VerifyLedger.Block> blocks) {
        public long blocksFlushed() {
            return blocks.stream().filter(b -> b.flushed() > 0).count();
        }
    }

    private LedgerFile() {}

    /** The ledger at {@code file}, by device; empty when there is no file yet. */
    public static Map<String, Device> read(Path file) {
        Map<String, Device> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            root.path("devices").fields().forEachRemaining(e -> {
                List<VerifyLedger.Block> blocks = new ArrayList<>();
                for (JsonNode b : e.getValue().path("blocks")) {
                    blocks.add(new VerifyLedger.Block(b.path("block").asLong(), b.path("sent").asInt(),
                            b.path("acked").asInt(), b.path("flushed").asInt()));
                }
                out.put(e.getKey(), new Device(e.getValue().path("flushes").asLong(), blocks));
            });
        } catch (IOException e) {
            throw LoadException.usage("cannot read the verify ledger " + file + ": " + e.getMessage());
        }
        return out;
    }

    public static void write(Path file, Map<String, Device> devices) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode all = JSON.createObjectNode();
        long flushes = 0;
        long written = 0;
        long flushed = 0;
        for (Map.Entry<String, Device> e : devices.entrySet()) {
            Device d = e.getValue();
            ObjectNode dev = all.putObject(e.getKey());
            dev.put("flushes", d.flushes()).put("blocks_written", d.blocks().size()).put("blocks_flushed", d.blocksFlushed());
            ArrayNode blocks = dev.putArray("blocks");
            for (VerifyLedger.Block b : d.blocks()) {
                blocks.addObject().put("block", b.block()).put("sent", b.sent()).put("acked", b.acked())
                        .put("flushed", b.flushed());
            }
            flushes += d.flushes();
            written += d.blocks().size();
            flushed += d.blocksFlushed();
        }
        root.put("flushes", flushes).put("blocks_written", written).put("blocks_flushed", flushed);
        root.set("devices", all);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
