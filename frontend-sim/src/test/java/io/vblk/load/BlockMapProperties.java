package io.vblk.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BlockMapProperties {

    @Property(tries = 300)
    void behavesLikeAHashMap(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5000) int keyRange) {
        SplittableRandom rng = new SplittableRandom(seed);
        BlockMap map = new BlockMap(4);
        Map<Long, Integer> model = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            long key = rng.nextLong(keyRange);
            int op = rng.nextInt(3);
            if (op == 0) {
                int value = rng.nextInt();
                map.put(key, value);
                model.put(key, value);
            } else if (op == 1) {
                map.remove(key);
                model.remove(key);
            }
            assertThat(map.get(key, -7)).isEqualTo(model.getOrDefault(key, -7));
            assertThat(map.containsKey(key)).isEqualTo(model.containsKey(key));
            assertThat(map.size()).isEqualTo(model.size());
        }
        for (long k = 0; k < Math.min(keyRange, 500); k++) {
            assertThat(map.get(k, -7)).isEqualTo(model.getOrDefault(k, -7));
        }
    }
}
