package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlowHeapTest {
    @Test
    void emptyHeapPeeksMinusOne() {
        assertThat(new FlowHeap(3).peek()).isEqualTo(-1);
    }

    @Test
    void equalKeysGoToTheSmallerFlowIndex() {
        FlowHeap h = new FlowHeap(4);
        h.insert(3, 1.0);
        h.insert(1, 1.0);
        h.insert(2, 1.0);

        assertThat(h.peek()).isEqualTo(1);
        h.update(1, 2.0);
        assertThat(h.peek()).isEqualTo(2);
        h.remove(2);
        assertThat(h.peek()).isEqualTo(3);
    }

    @Test
    void misuseIsRejected() {
        FlowHeap h = new FlowHeap(2);
        h.insert(0, 0.0);

        assertThatThrownBy(() -> h.insert(0, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.remove(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.update(1, 0.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
