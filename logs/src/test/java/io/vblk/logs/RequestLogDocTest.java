package io.vblk.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import io.vblk.requestlog.RequestRecord;

/**
 * docs/request-logs.md's example and schema table against the code: the example reads as a
 * {@link RequestRecord} with the reader's own mapping, every field of the table is in it with the type of
 * its record component, and writing the record back gives the same JSON object.
 */
class RequestLogDocTest {
    private static final String MARKER = "<!-- request-log-example -->";

    private static List<String> readme() throws Exception {
        // surefire runs in the module's directory; docs/ is the root project's
        Path readme = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("request-logs.md");
        return Files.readAllLines(readme);
    }

    /** The fenced json block right after the marker line. */
    private static String example(List<String> lines) {
        int marker = lines.indexOf(MARKER);
        assertThat(marker).as("marker line %s in docs/request-logs.md", MARKER).isNotNegative();
        assertThat(lines.get(marker + 1)).isEqualTo("```json");
        StringBuilder json = new StringBuilder();
        for (int i = marker + 2; !lines.get(i).equals("```"); i++) {
            json.append(lines.get(i)).append('\n');
        }
        return json.toString().trim();
    }

    /** The backticked names in the first column of the first table after the marker. */
    private static Set<String> tableFields(List<String> lines) {
        int i = lines.indexOf(MARKER);
        while (!lines.get(i).startsWith("| field |")) {
            i++;
        }
        Set<String> fields = new LinkedHashSet<>();
        Pattern name = Pattern.compile("`([a-z_]+)`");
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            Matcher m = name.matcher(lines.get(i).split("\\|")[1]);
            while (m.find()) {
                fields.add(m.group(1));
            }
        }
        return fields;
    }

    /** The record's components by their JSON name (the component's own, or its @JsonProperty). */
    private static Map<String, Class<?>> jsonTypes() {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        for (RecordComponent c : RequestRecord.class.getRecordComponents()) {
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            if (p == null) {
                p = c.getAnnotation(JsonProperty.class);
            }
            types.put(p == null ? c.getName() : p.value(), c.getType());
        }
        return types;
    }

    @Test
    void theExampleHasEveryFieldOfTheTableWithItsType() throws Exception {
        List<String> lines = readme();
        JsonNode example = LogReader.MAPPER.readTree(example(lines));
        Set<String> table = tableFields(lines);
        Map<String, Class<?>> types = jsonTypes();

        assertThat(table).as("fields in the docs table").containsExactlyInAnyOrderElementsOf(types.keySet());
        assertThat(example.fieldNames()).toIterable().as("fields in the docs example")
                .containsExactlyInAnyOrderElementsOf(table);
        for (String field : table) {
            JsonNode value = example.get(field);
            Class<?> type = types.get(field);
            if (type == String.class) {
                assertThat(value.isTextual()).as("%s is a string", field).isTrue();
            } else if (type == int.class) {
                assertThat(value.canConvertToInt()).as("%s is an int", field).isTrue();
            } else {
                assertThat(type).as(field).isEqualTo(long.class);
                assertThat(value.canConvertToLong() && value.isIntegralNumber()).as("%s is a long", field).isTrue();
            }
        }
    }

    @Test
    void theExampleReadsAsARecordAndWritesBackTheSame() throws Exception {
        String json = example(readme());

        RequestRecord record = LogReader.MAPPER.readValue(json, RequestRecord.class);

        // JsonNode equality: the same field names with the same values, in any order
        assertThat(LogReader.MAPPER.readTree(Fixtures.json(record))).isEqualTo(LogReader.MAPPER.readTree(json));
    }
}
