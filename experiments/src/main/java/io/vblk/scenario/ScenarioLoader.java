package io.vblk.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigException;
import io.vblk.config.ConfigLoader;
import io.vblk.config.Durations;
import io.vblk.config.GuestSpec;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.TrustConfig;
import io.vblk.report.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a scenario file, or a built-in one by name (the files under resources/scenarios). A variant is a
 * label plus dotted keys ({@code backend.mode: aio}) written over a copy of the scenario; a {@code matrix}
 * crosses lists of values into variants. Every variant is validated before anything runs, and a mistake is
 * reported with the file, the line and the key.
 */
public final class ScenarioLoader {
    private ScenarioLoader() {}

    public static final List<String> BUILT_IN = List.of("seed", "vm-vs-host", "depth-sweep", "three-way", "depth-vs-vm",
            "io-throttle-2008", "seed-guest", "vm-vs-host-guest", "idle-sweep", "reservation", "cost-model", "latency-target", "cures",
            "live-weights");
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "duration", "warmup", "repeat", "backend",
            "load", "variants", "matrix", "reference", "changes");

    /** A path to a YAML file, or the name of a built-in scenario. */
    public static Scenario load(String fileOrName) {
        Path p = Path.of(fileOrName);
        if (Files.isRegularFile(p)) {
            return parse(ConfigLoader.text(p), p.toString());
        }
        if (BUILT_IN.contains(fileOrName)) {
            return parse(builtIn(fileOrName), "built-in scenario " + fileOrName);
        }
        throw new ConfigException(fileOrName, "no such file, and not a built-in scenario (" + String.join(", ", BUILT_IN) + ")");
    }

    public static String builtIn(String name) {
        try (InputStream in = ScenarioLoader.class.getResourceAsStream("/scenarios/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("built-in scenario " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Scenario parse(String text, String file) {
        JsonNode root = ConfigLoader.tree(text, file);
        if (!root.isObject()) {
            throw new ConfigException(file, "a scenario is a mapping with keys " + TOP_KEYS);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_KEYS.contains(key)) {
                throw located(file, text, key, "unknown key; allowed here: " + String.join(", ", TOP_KEYS.stream().sorted().toList()));
            }
        }
        String name = root.path("name").asText(file);
        String description = root.path("description").asText("");
        Duration duration = duration(root, "duration", Duration.ofSeconds(10), file, text);
        Duration warmup = duration(root, "warmup", Duration.ofSeconds(2), file, text);
        if (duration.isZero()) {
            throw located(file, text, "duration", "must be positive, got " + root.path("duration").asText());
        }
        JsonNode repeatNode = root.path("repeat");
        int repeat = repeatNode.isMissingNode() || repeatNode.isNull() ? 1 : repeatNode.isInt() ? repeatNode.intValue() : -1;
        if (repeat < 1 || repeat > 100) {
            throw located(file, text, "repeat", "must be from 1 to 100, got " + root.path("repeat"));
        }
        if (!root.path("backend").isObject()) {
            throw located(file, text, "backend", "is required: the backend config (listen, mode, scheduler, disk, devices)");
        }
        if (!root.path("load").isArray()) {
            throw located(file, text, "load", "is required: a list of {device, processes, pattern, ...} or {guest: {...}}");
        }
        List<Map.Entry<String, Map<String, JsonNode>>> overrides = variantOverrides(root, file, text);
        List<Scenario.Variant> variants = new ArrayList<>();
        Set<String> labels = new java.util.HashSet<>();
        for (var v : overrides) {
            if (!labels.add(v.getKey())) {
                throw located(file, text, "variants", "two variants are labelled '" + v.getKey() + "'; labels must differ");
            }
            ObjectNode copy = root.deepCopy();
            for (var o : v.getValue().entrySet()) {
                set(copy, o.getKey(), o.getValue(), file, text, v.getKey(), writtenAt(root, v.getKey(), o.getKey()));
            }
            Map<String, String> keys = new LinkedHashMap<>();
            v.getValue().forEach((k, val) -> keys.put(k, val.asText()));
            try {
                variants.add(resolve(copy, v.getKey(), keys, file, text));
            } catch (ConfigException e) {
                throw blamed(e, root, v.getKey(), v.getValue().keySet(), text);
            }
        }
        for (Scenario.Variant v : variants) {
            for (int i = 0; i < v.changes().size(); i++) {
                if (v.changes().get(i).at().compareTo(warmup.plus(duration)) >= 0) {
                    throw located(file, text, "changes[" + i + "].at", "must come before the run's end (warmup "
                            + Durations.format(warmup) + " + duration " + Durations.format(duration) + "), got "
                            + Durations.format(v.changes().get(i).at()));
                }
            }
        }
        return new Scenario(name, description, duration, warmup, repeat, variants, reference(root, file, text));
    }

    /** {@code reference: {title, columns: [..], rows: {LABEL: [one text per column], ...}}}, or null when absent. */
    private static Reference reference(JsonNode root, String file, String text) {
        JsonNode r = root.path("reference");
        if (r.isMissingNode() || r.isNull()) {
            return null;
        }
        String shape = "is {title: TEXT, columns: [TEXT, ...], rows: {LABEL: [one TEXT per column], ...}}";
        if (!r.path("title").isTextual() || !r.path("columns").isArray() || !r.path("rows").isObject()) {
            throw located(file, text, "reference", shape);
        }
        List<String> columns = new ArrayList<>();
        r.path("columns").forEach(c -> columns.add(c.asText()));
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("rows").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            if (!row.getValue().isArray() || row.getValue().size() != columns.size()) {
                throw located(file, text, "reference.rows." + row.getKey(), "must list " + columns.size()
                        + " texts, one per column");
            }
            List<String> cells = new ArrayList<>();
            row.getValue().forEach(c -> cells.add(c.asText()));
            rows.put(row.getKey(), cells);
        }
        return new Reference(r.path("title").asText(), columns, rows);
    }

    private static List<Map.Entry<String, Map<String, JsonNode>>> variantOverrides(JsonNode root, String file, String text) {
        List<Map.Entry<String, Map<String, JsonNode>>> out = new ArrayList<>();
        JsonNode variants = root.path("variants");
        if (variants.isArray()) {
            for (int i = 0; i < variants.size(); i++) {
                JsonNode v = variants.get(i);
                String at = "variants[" + i + "]";
                if (!v.isObject() || !v.path("label").isTextual()) {
                    throw located(file, text, at, "a variant is {label: NAME, some.key: value, ...}");
                }
                Map<String, JsonNode> keys = new LinkedHashMap<>();
                v.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("label")) {
                        keys.put(e.getKey(), e.getValue());
                    }
                });
                out.add(Map.entry(v.get("label").asText(), keys));
            }
        }
        JsonNode matrix = root.path("matrix");
        if (matrix.isObject()) {
            List<Map.Entry<String, Map<String, JsonNode>>> crossed = new ArrayList<>(out.isEmpty()
                    ? List.of(Map.entry("", Map.of())) : out);
            for (Iterator<Map.Entry<String, JsonNode>> it = matrix.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> axis = it.next();
                if (!axis.getValue().isArray() || axis.getValue().isEmpty()) {
                    throw located(file, text, "matrix." + axis.getKey(), "must be a non-empty list of values");
                }
                List<Map.Entry<String, Map<String, JsonNode>>> next = new ArrayList<>();
                for (var base : crossed) {
                    for (JsonNode value : axis.getValue()) {
                        Map<String, JsonNode> keys = new LinkedHashMap<>(base.getValue());
                        keys.put(axis.getKey(), value);
                        String short_ = axis.getKey().substring(axis.getKey().lastIndexOf('.') + 1);
                        String label = (base.getKey().isEmpty() ? "" : base.getKey() + " ") + short_ + "=" + value.asText();
                        next.add(Map.entry(label, keys));
                    }
                }
                crossed = next;
            }
            out = crossed;
        }
        if (out.isEmpty()) {
            out.add(Map.entry(root.path("name").asText("default"), Map.of()));
        }
        return out;
    }

    /** Where a variant's key was written: the variant's own line, or the matrix axis it came from. */
    private static String writtenAt(JsonNode root, String label, String key) {
        if (root.path("matrix").has(key)) {
            return "matrix." + key;
        }
        JsonNode variants = root.path("variants");
        for (int i = 0; i < variants.size(); i++) {
            String own = variants.get(i).path("label").asText();
            if ((label.equals(own) || label.startsWith(own + " ")) && variants.get(i).has(key)) {
                return "variants[" + i + "]." + key;
            }
        }
        return "variants";
    }

    /** Writes {@code value} at a dotted path ({@code backend.scheduler.policy}, {@code load[0].processes}). */
    private static void set(ObjectNode root, String dotted, JsonNode value, String file, String text, String label,
                            String at) {
        String[] parts = dotted.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int index = -1;
            int bracket = part.indexOf('[');
            boolean badIndex = false;
            if (bracket >= 0) {
                String digits = part.endsWith("]") ? part.substring(bracket + 1, part.length() - 1) : "";
                badIndex = bracket == 0 || !digits.matches("\\d{1,9}");
                index = badIndex ? -1 : Integer.parseInt(digits);
                part = part.substring(0, Math.max(bracket, 0));
            }
            boolean last = i == parts.length - 1;
            // the first part is backend or load[N] (an entry of the list); backend or load alone replaces it whole
            boolean badStart = i == 0 && !(part.equals("backend") && index < 0 || part.equals("load") && (index >= 0 || last));
            if (!(node instanceof ObjectNode obj) || badIndex || badStart) {
                throw located(file, text, at, "variant '" + label + "': key '" + dotted
                        + "' does not name a place in the scenario (start with backend. or load[N].)");
            }
            if (index >= 0) {
                JsonNode arr = obj.path(part);
                if (!(arr instanceof ArrayNode a) || index >= a.size()) {
                    throw located(file, text, at, "variant '" + label + "': '" + dotted + "' indexes past the list");
                }
                if (last) {
                    a.set(index, value);
                }
                node = a.get(index);
            } else if (last) {
                obj.set(part, value);
            } else {
                if (!obj.path(part).isObject()) {
                    obj.putObject(part);
                }
                node = obj.get(part);
            }
        }
    }

    private static Scenario.Variant resolve(ObjectNode tree, String label, Map<String, String> keys, String file,
                                            String text) {
        JsonNode backendTree = tree.get("backend");
        if (tree.path("changes").size() > 0 && backendTree instanceof ObjectNode b && !b.has("admin")) {
            // the runner applies the changes through the admin endpoint: on loopback, on a port of the system's choice
            b.putObject("admin").put("port", 0);
        }
        BackendConfig backend = ConfigLoader.backend(backendTree, file, text);
        Set<String> names = new java.util.LinkedHashSet<>();
        backend.devices().forEach(d -> names.add(d.name()));
        // a load entry is simulated processes ({device, processes, ...}) or a real guest ({guest: {...}})
        JsonNode entries = tree.get("load");
        ArrayNode simulated = tree.arrayNode();
        List<Integer> simulatedAt = new ArrayList<>();
        List<GuestSpec> guests = new ArrayList<>();
        Map<String, String> drivenBy = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String at = "load[" + i + "]";
            if (!(e != null && e.isObject() && e.has("guest"))) {
                simulated.add(e);
                simulatedAt.add(i);
                continue;
            }
            if (e.size() != 1 || !e.get("guest").isObject()) {
                throw located(file, text, at, "a guest entry is {guest: {name, devices, processes, ...}} alone");
            }
            GuestSpec g = ConfigLoader.convert(e.get("guest"), GuestSpec.class, file, text, at + ".guest");
            io.vblk.config.Problems gp = new io.vblk.config.Problems();
            g.validate(at + ".guest", gp);
            if (!gp.isEmpty()) {
                var first = gp.list().get(0);
                throw located(file, text, first.path(), first.message());
            }
            for (String d : g.devices()) {
                if (!names.contains(d)) {
                    throw located(file, text, at + ".guest.devices", "'" + d + "' is not a device of the backend ("
                            + String.join(", ", names) + ")");
                }
                String other = drivenBy.putIfAbsent(d, "guest " + g.name());
                if (other != null) {
                    throw located(file, text, at + ".guest.devices", "'" + d + "' is a disk of " + other
                            + " already: a guest's disk is its alone");
                }
            }
            guests.add(g);
        }
        LoadConfig load;
        try {
            ObjectNode loadTree = tree.objectNode();
            loadTree.set("load", simulated);
            load = withBackendAccess(ConfigLoader.convert(loadTree, LoadConfig.class, file, text, ""), backend);
        } catch (ConfigException e) {
            throw atFileIndexes(e, simulatedAt, text);
        }
        var problems = load.validate().list().stream()
                .filter(p -> !(p.path().equals("load") && !guests.isEmpty()))
                .toList();
        if (!problems.isEmpty()) {
            var p = problems.get(0);
            String path = atFileIndex(p.path(), simulatedAt);
            throw located(file, text, path, p.message());
        }
        for (int i = 0; i < load.load().size(); i++) {
            LoadSpec s = load.load().get(i);
            String at = "load[" + simulatedAt.get(i) + "].device";
            if (!names.contains(s.device())) {
                throw located(file, text, at,
                        "'" + s.device() + "' is not a device of the backend (" + String.join(", ", names) + ")");
            }
            if (drivenBy.containsKey(s.device()) && drivenBy.get(s.device()).startsWith("guest")) {
                throw located(file, text, at, "'" + s.device() + "' is a disk of " + drivenBy.get(s.device())
                        + ": simulated processes drive other devices");
            }
            drivenBy.putIfAbsent(s.device(), "processes");
        }
        List<Scenario.Change> changes = changes(tree, backend, file, text);
        ObjectNode forProcess = backendTree.deepCopy();
        forProcess.put("port", 0);
        if (!changes.isEmpty() && !guests.isEmpty()) {
            throw located(file, text, "changes", "applies to simulated processes only, not to a real guest's load");
        }
        return new Scenario.Variant(label, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys)), backend,
                ConfigLoader.toYaml(forProcess), load, List.copyOf(guests), List.copyOf(drivenBy.keySet()), changes);
    }

    /**
     * {@code changes: [{at: 5s, set: {device: sda11, weight: 50}}, {at: 8s, set: {policy: sfq}}, ...]}: a set
     * without a device changes the scheduler. Each is checked as the admin endpoint will check it, against the
     * backend config with the changes before it applied, and named by its place in the file when it fails.
     */
    private static List<Scenario.Change> changes(ObjectNode tree, BackendConfig backend, String file, String text) {
        JsonNode list = tree.path("changes");
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw located(file, text, "changes", "must be a list of {at: TIME, set: {device: NAME, KEY: VALUE, ...}}");
        }
        List<Scenario.Change> out = new ArrayList<>();
        BackendConfig running = backend;
        Duration last = Duration.ZERO;
        for (int i = 0; i < list.size(); i++) {
            String at = "changes[" + i + "]";
            JsonNode c = list.get(i);
            if (c == null || !c.isObject() || !c.path("set").isObject() || !c.has("at")
                    || c.size() != 2) {
                throw located(file, text, at, "must be {at: TIME, set: {device: NAME, KEY: VALUE, ...}} (a set "
                        + "without a device changes the scheduler)");
            }
            Duration when;
            try {
                when = c.get("at").isNull() ? null : Durations.parse(c.get("at").asText());
            } catch (IllegalArgumentException e) {
                throw located(file, text, at + ".at", e.getMessage());
            }
            if (when == null) {
                throw located(file, text, at + ".at", "is required: a duration after the run's start, such as 5s");
            }
            if (when.compareTo(last) < 0) {
                throw located(file, text, at + ".at", "must not come before the change above it ("
                        + Durations.format(last) + "), got " + Durations.format(when));
            }
            last = when;
            ObjectNode values = c.get("set").deepCopy();
            String target = values.has("device") ? values.remove("device").asText() : "scheduler";
            int index = target.equals("scheduler") ? -1 : running.deviceIndex(target);
            if (index < 0 && !target.equals("scheduler")) {
                throw located(file, text, at + ".set.device", "'" + target + "' is not a device of the backend ("
                        + String.join(", ", running.devices().stream().map(io.vblk.config.DeviceConfig::name).toList()) + ")");
            }
            try {
                running = index < 0 ? io.vblk.config.LiveChange.scheduler(running, values)
                        : io.vblk.config.LiveChange.device(running, index, values);
            } catch (ConfigException e) {
                var p = e.problems().get(0);
                throw located(file, text, at + ".set", (p.path().isEmpty() ? "" : p.path() + ": ") + p.message());
            }
            out.add(new Scenario.Change(when, target, values));
        }
        return List.copyOf(out);
    }

    /**
     * The load side of an experiment gets in the way the backend block says: the same token file, and the
     * backend's own certificate as the one to trust (the backend runs on loopback, so its certificate
     * must name 127.0.0.1).
     */
    private static LoadConfig withBackendAccess(LoadConfig load, BackendConfig backend) {
        String tokenFile = backend.auth() == null ? null : backend.auth().tokenFile();
        TrustConfig trust = backend.tls() == null ? null : new TrustConfig(backend.tls().certificate());
        return load.withAccess(tokenFile, trust);
    }

    /** {@code load[k]} of the simulated entries is {@code load[at.get(k)]} of the file. */
    private static String atFileIndex(String path, List<Integer> at) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^load\\[(\\d+)\\]").matcher(path);
        if (!m.find()) {
            return path;
        }
        int k = Integer.parseInt(m.group(1));
        return k < at.size() ? "load[" + at.get(k) + "]" + path.substring(m.end()) : path;
    }

    private static ConfigException atFileIndexes(ConfigException e, List<Integer> at, String text) {
        return new ConfigException(e.problems().stream().map(p -> {
            String path = atFileIndex(p.path(), at);
            return path.equals(p.path()) ? p
                    : new ConfigException.Located(p.file(), ConfigLoader.lineOf(text, path), path, p.message());
        }).toList());
    }

    /**
     * A problem in a place the variant wrote (its key, below it, or a parent the key created) is reported at the
     * variant's line and names the variant; any other problem is the base block's, at its own line, unnamed.
     */
    private static ConfigException blamed(ConfigException e, JsonNode root, String label, Set<String> keys,
                                           String text) {
        return new ConfigException(e.problems().stream().map(p -> {
            for (String key : keys) {
                boolean below = p.path().equals(key) || p.path().startsWith(key + ".") || p.path().startsWith(key + "[");
                boolean created = (key.startsWith(p.path() + ".") || key.startsWith(p.path() + "["))
                        && node(root, p.path()).isMissingNode();
                if (below || created) {
                    String at = writtenAt(root, label, key) + (below ? p.path().substring(key.length()) : "");
                    return new ConfigException.Located(p.file(), ConfigLoader.lineOf(text, at), at,
                            p.message() + " (variant '" + label + "')");
                }
            }
            return p;
        }).toList());
    }

    /** The node at a dotted path with indexes ({@code backend.devices[1].weight}), or a missing node. */
    private static JsonNode node(JsonNode root, String path) {
        JsonNode n = root;
        for (String part : path.split("\\.|(?=\\[)")) {
            n = part.matches("\\[\\d{1,9}]")
                    ? n.path(Integer.parseInt(part.substring(1, part.length() - 1))) : n.path(part);
        }
        return n;
    }

    private static Duration duration(JsonNode root, String key, Duration dflt, String file, String text) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        try {
            return Durations.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw located(file, text, key, e.getMessage());
        }
    }

    private static ConfigException located(String file, String text, String path, String message) {
        return new ConfigException(List.of(new ConfigException.Located(file, ConfigLoader.lineOf(text, path), path, message)));
    }
}
