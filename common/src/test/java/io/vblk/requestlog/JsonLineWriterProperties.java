package io.vblk.requestlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/** What the hand-written JSON writer produces is JSON that a real parser reads back to the same values. */
class JsonLineWriterProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonLineWriter.Key A = JsonLineWriter.key("a");
    private static final JsonLineWriter.Key B = JsonLineWriter.key("b");
    private static final JsonLineWriter.Key S = JsonLineWriter.key("s");

    @Property(tries = 2000)
    void numbersAndStringsRoundTrip(@ForAll long a, @ForAll int b,
                                    @ForAll @AlphaChars @NumericChars @StringLength(max = 30) String s) throws Exception {
        JsonLineWriter w = new JsonLineWriter().reset().begin().num(A, a).num(B, b).str(S, s).end();
        JsonNode n = JSON.readTree(w.toString());
        assertThat(n.get("a").asLong()).isEqualTo(a);
        assertThat(n.get("b").asLong()).isEqualTo(b);
        assertThat(n.get("s").asText()).isEqualTo(s);
        assertThat(new String(w.toByteArray())).endsWith("}\n");
    }

    @Property(tries = 200)
    void recordsWriteTheSchemaTheyAreReadWith(@ForAll long q, @ForAll int seq) throws Exception {
        RequestRecord r = new RequestRecord("sda11", 0, 17, seq, "OUT", 2048, 4096, "OK", 80, "aio", q, q + 1, q + 2,
                q + 3, q + 4, 97, 8, 1);
        assertThat(JSON.readValue(r.toJson(), RequestRecord.class)).isEqualTo(r);
        GuestRecord g = new GuestRecord("sda11", 0, 17, seq, "IN", 2048, 4096, "IOERR", q, q + 9);
        assertThat(JSON.readValue(g.toJson(), GuestRecord.class)).isEqualTo(g);
    }
}
