package io.vblk.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoorCountersTest {
    @Test
    void aDoorCountsOnlyTheReasonsItWasBuiltWith() {
        DoorCounters d = new DoorCounters("nbd", List.of("limit", "handshake"));
        d.opened();
        d.opened();
        d.closed();
        d.refused("handshake");

        assertThat(d.connections()).isEqualTo(2);
        assertThat(d.openConnections()).isEqualTo(1);
        assertThat(d.refusals()).containsExactly(Map.entry("limit", 0L), Map.entry("handshake", 1L));
        assertThatThrownBy(() -> d.refused("busy")).hasMessageContaining("has no refusal reason 'busy'; it has limit, handshake");
    }
}
