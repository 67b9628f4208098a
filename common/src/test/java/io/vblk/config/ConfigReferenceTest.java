package io.vblk.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md against the loader: every key a config record accepts (its components, kebab-cased,
 * nested records and lists of records walked) has a row in the doc's table for that file, every row names a
 * key the loader accepts, and every literal default in the table is what the loader fills in when the key is
 * left out. A default is a literal, {@code none} (the loader leaves it unset), {@code required}, or an
 * italic phrase for one computed where it is used (e.g. from the queue size), which the test cannot load.
 */
class ConfigReferenceTest {
    // records with a scalar form of their own in YAML (a size with units), not a block of keys
    private static final Set<Class<?>> SCALARS = Set.of(ByteSize.class);
    private static final ObjectMapper YAML = ConfigLoader.yaml();

    @Test
    void everyBackendKeyIsDocumentedWithTheLoadersDefault() throws Exception {
        check("backend", BackendConfig.class);
    }

    @Test
    void everyLoadKeyIsDocumentedWithTheLoadersDefault() throws Exception {
        check("load", LoadConfig.class);
    }

    private static void check(String table, Class<?> root) throws Exception {
        Map<String, String> documented = table(table);
        Map<String, Type> accepted = new LinkedHashMap<>();
        keys(root, "", accepted);

        assertThat(documented.keySet()).as("keys of the %s table in docs/configuration.md", table)
                .containsExactlyInAnyOrderElementsOf(accepted.keySet());
        Object loaded = ConfigLoader.parse(minimal(root), root, "minimal " + table + " config");
        for (Map.Entry<String, String> row : documented.entrySet()) {
            String dflt = row.getValue();
            if (dflt.equals("required") || dflt.startsWith("*")) {
                continue;
            }
            Object actual = valueAt(loaded, row.getKey());
            if (dflt.equals("none")) {
                assertThat(actual).as("%s: documented default none", row.getKey()).isNull();
            } else {
                JavaType type = YAML.getTypeFactory().constructType(accepted.get(row.getKey()));
                Object expected = YAML.readValue(dflt, type);
                assertThat(actual).as("%s: documented default %s", row.getKey(), dflt).isEqualTo(expected);
            }
        }
    }

    /** The rows (key, default) of the table after {@code <!-- config-keys: NAME -->}, backticks dropped. */
    private static Map<String, String> table(String name) throws Exception {
        // surefire runs in the module's directory; docs/ is the root project's
        List<String> lines = Files.readAllLines(Path.of(System.getProperty("user.dir")).resolveSibling("docs")
                .resolve("configuration.md"));
        int at = lines.indexOf("<!-- config-keys: " + name + " -->");
        assertThat(at).as("marker for the %s table", name).isNotNegative();
        assertThat(lines.get(at + 1)).as("the table right after the marker").startsWith("| key | default |");
        Map<String, String> rows = new LinkedHashMap<>();
        for (int i = at + 3; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            String key = cells[1].trim().replace("`", "");
            assertThat(rows.put(key, cells[2].trim().replace("`", ""))).as("%s listed twice", key).isNull();
        }
        return rows;
    }

    private static void keys(Class<?> record, String prefix, Map<String, Type> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            String key = prefix + kebab(c.getName());
            Class<?> type = c.getType();
            Type element = c.getGenericType() instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
            if (isBlock(type)) {
                keys(type, key + ".", out);
            } else if (type == List.class && element instanceof Class<?> e && isBlock(e)) {
                keys(e, key + "[].", out);
            } else {
                out.put(key, c.getGenericType());
            }
        }
    }

    private static boolean isBlock(Class<?> type) {
        return type.isRecord() && !SCALARS.contains(type);
    }

    /** YAML that gives every block (and one entry of every list of blocks) and leaves every value out. */
    private static String minimal(Class<?> record) {
        List<String> parts = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            Type element = c.getGenericType() instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
            if (isBlock(c.getType())) {
                parts.add(kebab(c.getName()) + ": " + minimal(c.getType()));
            } else if (c.getType() == List.class && element instanceof Class<?> e && isBlock(e)) {
                parts.add(kebab(c.getName()) + ": [" + minimal(e) + "]");
            }
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private static Object valueAt(Object root, String key) throws Exception {
        Object o = root;
        for (String part : key.split("\\.")) {
            boolean list = part.endsWith("[]");
            String name = camel(list ? part.substring(0, part.length() - 2) : part);
            o = o.getClass().getMethod(name).invoke(o);
            if (list) {
                o = ((List<?>) o).get(0);
            }
        }
        return o;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String camel(String kebab) {
        StringBuilder b = new StringBuilder();
        for (String w : kebab.split("-")) {
            b.append(b.length() == 0 ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1));
        }
        return b.toString();
    }
}
