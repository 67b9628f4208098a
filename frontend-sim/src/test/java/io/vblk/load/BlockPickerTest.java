package io.vblk.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vblk.config.Pattern;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockPickerTest {
    @Test
    void sequentialProcessesStartEvenlySpread() {
        BlockPicker p = new BlockPicker(Pattern.READ, 100, 4096, 64L << 11); // 64 MiB: 16384 blocks
        assertThat(p.blocks()).isEqualTo(16384);
        assertThat(new long[] {p.start(0, 4), p.start(1, 4), p.start(2, 4), p.start(3, 4)})
                .containsExactly(0, 4096, 8192, 12288);
    }

    @Test
    void sequentialWrapsAtTheEndOfTheDevice() {
        BlockPicker p = new BlockPicker(Pattern.WRITE, 0, 1024, 7); // 3 whole blocks, one sector left over
        assertThat(p.blocks()).isEqualTo(3);
        assertThat(p.after(2)).isZero();
        assertThat(p.next(new SplittableRandom(1), 2, b -> b == 2)).isZero();
    }

    @Test
    void aDeviceSmallerThanOneBlockIsRefused() {
        assertThatThrownBy(() -> new BlockPicker(Pattern.RANDREAD, 100, 4096, 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no block");
    }

    @Test
    void everyBlockBusyIsAnErrorNotALoop() {
        BlockPicker p = new BlockPicker(Pattern.RANDRW, 50, 512, 4);
        assertThatThrownBy(() -> p.next(new SplittableRandom(1), 0, b -> true))
                .isInstanceOf(IllegalStateException.class);
    }
}
