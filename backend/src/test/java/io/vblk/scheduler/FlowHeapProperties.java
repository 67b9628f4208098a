package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** FlowHeap against a linear-scan reference, under random inserts, removes and updates with many equal keys. */
class FlowHeapProperties {
    /** kind 0: insert, or update when present; kind 1: remove when present; kind 2: update when present. */
    record Op(int kind, int flow, double key) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 63), Arbitraries.integers().between(-3, 3))
                .as((kind, flow, key) -> new Op(kind, flow, key));
        return op.list().ofMaxSize(300);
    }

    @Property(tries = 1000)
    void agreesWithAReference(@ForAll @IntRange(min = 1, max = 64) int flows, @ForAll("ops") List<Op> ops) {
        FlowHeap heap = new FlowHeap(flows);
        Reference ref = new Reference(flows);
        for (Op op : ops) {
            int f = op.flow() % flows;
            if (op.kind() == 0 && !ref.present[f]) {
                heap.insert(f, op.key());
                ref.put(f, op.key());
            } else if (op.kind() == 1 && ref.present[f]) {
                heap.remove(f);
                ref.present[f] = false;
            } else if (ref.present[f]) {
                heap.update(f, op.key());
                ref.put(f, op.key());
            }
            assertThat(heap.peek()).isEqualTo(ref.min());
            assertThat(heap.size()).isEqualTo(ref.size());
            assertThat(heap.contains(f)).isEqualTo(ref.present[f]);
        }
        // draining yields every flow in (key, index) order
        while (ref.size() > 0) {
            int f = ref.min();
            assertThat(heap.peek()).isEqualTo(f);
            heap.remove(f);
            ref.present[f] = false;
        }
        assertThat(heap.size()).isZero();
    }

    private static final class Reference {
        final boolean[] present;
        final double[] key;

        Reference(int flows) {
            present = new boolean[flows];
            key = new double[flows];
        }

        void put(int f, double k) {
            present[f] = true;
            key[f] = k;
        }

        int size() {
            int s = 0;
            for (boolean p : present) {
                s += p ? 1 : 0;
            }
            return s;
        }

        int min() {
            int best = -1;
            for (int f = 0; f < present.length; f++) {
                if (present[f] && (best < 0 || key[f] < key[best])) {
                    best = f;
                }
            }
            return best;
        }
    }
}
