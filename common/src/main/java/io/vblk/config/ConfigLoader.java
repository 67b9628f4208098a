package io.vblk.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads YAML configuration into records: kebab-case keys, units on sizes and durations, unknown keys refused.
 * Every failure becomes a {@link ConfigException} naming file, line, field and what is allowed.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // YAML lets a repeated key silently replace the first one; refuse it like an unknown key
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)));
    private static final ObjectMapper JSON = configure(JsonMapper.builder().build());

    private static ObjectMapper configure(ObjectMapper m) {
        SimpleModule units = new SimpleModule("vblk-units");
        units.addDeserializer(ByteSize.class, new UnitDeserializer<>(ByteSize::parse, n -> ByteSize.of(n), ByteSize.ALLOWED));
        units.addDeserializer(Duration.class, new UnitDeserializer<>(Durations::parse, null, Durations.ALLOWED));
        units.addDeserializer(Depth.class, new UnitDeserializer<>(Depth::parse, Depth::of, Depth.ALLOWED));
        return m.registerModule(units)
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
    }

    /** The largest config read: SnakeYAML's own bound on a document (its code point limit). */
    static final int MAX_BYTES = 3 << 20;
    /** The longest line: SnakeYAML's scanner is quadratic in a line's length (a 10 MB comment took 55 s). */
    static final int MAX_LINE = 64 * 1024;

    /**
     * What SnakeYAML would choke on or misreport, refused first with the line: an overlong line, a control
     * character (a binary file that happens to be UTF-8), a tab in indentation, the text over {@link #MAX_BYTES}.
     */
    private static void checkText(String yaml, String name) {
        if (yaml.length() > MAX_BYTES) {
            throw new ConfigException(name, "holds " + yaml.length() + " bytes, more than the " + MAX_BYTES + " allowed");
        }
        int line = 1;
        int start = 0;
        for (int i = 0; i < yaml.length(); i++) {
            char c = yaml.charAt(i);
            if (c == '\n') {
                line++;
                start = i + 1;
            } else if (c == '\t' && yaml.substring(start, i).isBlank()) {
                // SnakeYAML says only "while scanning for the next token", on the line before
                throw located(name, line, "a tab character indents this line: YAML indents with spaces only");
            } else if (i - start >= MAX_LINE) {
                int end = yaml.indexOf('\n', i);
                throw located(name, line, "line " + line + " is " + ((end < 0 ? yaml.length() : end) - start)
                        + " characters long, more than the " + MAX_LINE + " allowed");
            } else if (c < 0x20 && c != '\t' && c != '\r' || c == 0x7f) {
                throw located(name, line, String.format("holds the control character 0x%02x, which no YAML text has", (int) c));
            }
        }
    }

    /** The parser, if its document is a mapping; a scalar or a list at the top is refused in words. */
    private static JsonParser mapping(JsonParser p, JsonToken first, String name) {
        if (first != JsonToken.START_OBJECT && first != JsonToken.VALUE_NULL) {
            throw located(name, p.currentTokenLocation().getLineNr(), "must be a mapping of keys such as 'devices:', not "
                    + (first == JsonToken.START_ARRAY ? "a list" : "a single value"));
        }
        return p;
    }

    private static ConfigException located(String name, int line, String message) {
        return new ConfigException(List.of(new ConfigException.Located(name, line, "", message)));
    }

    /** The YAML mapper with vblk's conventions, for tools that read or write config-shaped documents. */
    public static ObjectMapper yaml() {
        return YAML;
    }

    public static BackendConfig backend(Path file) {
        BackendConfig c = read(file, BackendConfig.class);
        check(file.toString(), text(file), c.validate());
        return c;
    }

    public static LoadConfig load(Path file) {
        LoadConfig c = read(file, LoadConfig.class);
        check(file.toString(), text(file), c.validate());
        return c;
    }

    /** Reads and validates a backend block held as a tree (a scenario's {@code backend:}); name is for messages. */
    public static BackendConfig backend(JsonNode tree, String name, String sourceText) {
        BackendConfig c = convert(tree, BackendConfig.class, name, sourceText, "backend");
        check(name, sourceText, c.validate(), "backend");
        return c;
    }

    /**
     * Reads and validates a whole backend config held as a tree (a live change applied to the running one's);
     * messages name {@code name} and the keys as a config file would.
     */
    public static BackendConfig backend(JsonNode tree, String name) {
        BackendConfig c = convert(tree, BackendConfig.class, name, "", "");
        check(name, "", c.validate());
        return c;
    }

    public static <T> T read(Path file, Class<T> type) {
        return parse(text(file), type, file.toString());
    }

    public static <T> T parse(String yaml, Class<T> type, String name) {
        checkText(yaml, name);
        try (JsonParser p = YAML.createParser(yaml)) {
            // readValue(String) rejects a document without content in Jackson's words; ours is "is empty"
            JsonToken first = p.nextToken();
            T value = first == null ? null : YAML.readValue(mapping(p, first, name), type);
            if (value == null) {
                throw new ConfigException(name, "is empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            // a syntax error is where the parser stopped; a binding error belongs to its key
            boolean syntax = e instanceof JsonParseException || e.getCause() instanceof JsonParseException;
            throw syntax ? locate(e, name, "") : atKeys(locate(e, name, ""), yaml);
        } catch (IOException e) {
            throw new ConfigException(name, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Jackson reports a binding error where its parser stood, which for records is the end of the enclosing
     * mapping (an unknown key is only refused once the whole mapping is read). Point at the offending key
     * instead; keep Jackson's line when the path does not appear in the text.
     */
    private static ConfigException atKeys(ConfigException e, String text) {
        return new ConfigException(e.problems().stream().map(p -> {
            int line = p.path().isEmpty() ? 0 : lineOf(text, p.path());
            return line > 0 ? new ConfigException.Located(p.file(), line, p.path(), p.message()) : p;
        }).toList());
    }

    /** Binds a tree to a record; {@code prefix} is where the tree sits in its file, for messages and lines. */
    public static <T> T convert(JsonNode tree, Class<T> type, String name, String sourceText, String prefix) {
        try {
            return YAML.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            ConfigException located = locate(e, name, prefix);
            List<ConfigException.Located> fixed = located.problems().stream()
                    .map(p -> new ConfigException.Located(p.file(), lineOf(sourceText, p.path()), p.path(), p.message()))
                    .toList();
            throw new ConfigException(fixed);
        }
    }

    public static JsonNode tree(String yaml, String name) {
        checkText(yaml, name);
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first != null) {
                mapping(p, first, name);
            }
        } catch (IOException e) {
            // the syntax error is reported, located, by readTree below
        }
        try {
            JsonNode node = YAML.readTree(yaml);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new ConfigException(name, "is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw locate(e, name, "");
        }
    }

    public static String text(Path file) {
        try {
            return TextFiles.read(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "no such file");
        } catch (TextFiles.NotText e) {
            throw new ConfigException(file.toString(), e.getMessage());
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot be read: " + e.getMessage());
        }
    }

    public static String toYaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }

    private static void check(String name, String text, Problems problems) {
        check(name, text, problems, "");
    }

    private static void check(String name, String text, Problems problems, String prefix) {
        if (problems.isEmpty()) {
            return;
        }
        List<ConfigException.Located> located = new ArrayList<>();
        for (Problems.Problem p : problems.list()) {
            String path = Problems.join(prefix, p.path());
            located.add(new ConfigException.Located(name, lineOf(text, path), path, p.message()));
        }
        throw new ConfigException(located);
    }

    private static ConfigException locate(JsonProcessingException e, String name, String prefix) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : Math.max(0, loc.getLineNr());
        String path = "";
        String message = e.getOriginalMessage();
        if (e instanceof JsonMappingException m) {
            path = Problems.join(prefix, pathOf(m.getPath()));
            if (e instanceof UnrecognizedPropertyException u) {
                String known = u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
                message = "unknown key; allowed here: " + known;
            } else if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
                message = "'" + f.getValue() + "' is not allowed; allowed: " + enumValues(f.getTargetType());
            } else if (message != null && (message.startsWith("Cannot deserialize value of type")
                    || message.startsWith("Cannot coerce"))) {
                message = "wrong type of value: " + message.replaceAll("`[a-z.]+\\.", "`").replaceAll(" at \\[Source.*", "")
                        .replaceAll(" \\(but might if coercion.*", "");
            }
        }
        if (message == null) {
            message = "malformed";
        }
        return new ConfigException(List.of(new ConfigException.Located(name, line, path, message.split("\n")[0])));
    }

    private static String enumValues(Class<?> type) {
        return Arrays.stream(type.getFields()).filter(java.lang.reflect.Field::isEnumConstant).map(f -> {
            com.fasterxml.jackson.annotation.JsonProperty p = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return p != null ? p.value() : f.getName();
        }).collect(Collectors.joining(", "));
    }

    private static String pathOf(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            }
        }
        return b.toString();
    }

    /** The 1-based line where a dotted path (or its longest present prefix) stands in a YAML text; 0 if none. */
    public static int lineOf(String yaml, String path) {
        if (yaml == null) {
            return 0;
        }
        int best = 0;
        int bestLen = -1;
        try (JsonParser p = YAML.getFactory().createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonStreamContext ctx = p.getParsingContext();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    ctx = ctx.getParent();
                }
                String at = contextPath(ctx);
                boolean prefix = path.equals(at) || path.startsWith(at + ".") || path.startsWith(at + "[");
                if (prefix && at.length() > bestLen) {
                    bestLen = at.length();
                    best = p.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException e) {
            return best;
        }
        return best;
    }

    private static String contextPath(JsonStreamContext ctx) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.add("." + c.getCurrentName());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) {
            b.append(parts.get(i));
        }
        return b.length() > 0 && b.charAt(0) == '.' ? b.substring(1) : b.toString();
    }

    /** Reads a string (or, when {@code fromNumber} is given, a plain number) through a parse function. */
    private static final class UnitDeserializer<T> extends JsonDeserializer<T> {
        private final Function<String, T> parse;
        private final Function<Long, T> fromNumber;
        private final String allowed;

        UnitDeserializer(Function<String, T> parse, Function<Long, T> fromNumber, String allowed) {
            this.parse = parse;
            this.fromNumber = fromNumber;
            this.allowed = allowed;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            try {
                if (t == JsonToken.VALUE_NUMBER_INT && fromNumber != null) {
                    return fromNumber.apply(p.getLongValue());
                }
                if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    return parse.apply(p.getText());
                }
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
            throw JsonMappingException.from(p, "expected " + allowed);
        }
    }
}
