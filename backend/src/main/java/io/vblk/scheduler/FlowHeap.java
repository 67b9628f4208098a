package io.vblk.scheduler;

/**
 * An indexed binary min-heap over the flow indexes 0..n-1, each present at most once and keyed by a double.
 * Equal keys are ordered by flow index, so the smallest index wins a tie and every run is deterministic.
 * insert, remove and update are O(log n); peek is O(1); nothing is allocated after construction.
 */
final class FlowHeap {
    // heap[0..size) holds flows; neither child of heap[i] (heap[2i+1], heap[2i+2]) orders before it
    private final int[] heap;
    // position[flow] is the flow's index in heap, or -1 while the flow is absent
    private final int[] position;
    // key[flow] is meaningful only while the flow is present
    private final double[] key;
    private int size;

    FlowHeap(int flows) {
        heap = new int[flows];
        position = new int[flows];
        key = new double[flows];
        java.util.Arrays.fill(position, -1);
    }

    int size() {
        return size;
    }

    boolean contains(int flow) {
        return position[flow] >= 0;
    }

    /** The flow with the smallest key (smallest index among equal keys), or -1 when empty. */
    int peek() {
        return size == 0 ? -1 : heap[0];
    }

    void insert(int flow, double k) {
        if (contains(flow)) {
            throw new IllegalArgumentException("flow " + flow + " is already in the heap");
        }
        key[flow] = k;
        place(size, flow);
        size++;
        siftUp(size - 1);
    }

    void remove(int flow) {
        int i = position[flow];
        if (i < 0) {
            throw new IllegalArgumentException("flow " + flow + " is not in the heap");
        }
        position[flow] = -1;
        size--;
        if (i == size) {
            return;
        }
        int moved = heap[size];
        place(i, moved);
        siftUp(i);
        siftDown(position[moved]);
    }

    void update(int flow, double k) {
        int i = position[flow];
        if (i < 0) {
            throw new IllegalArgumentException("flow " + flow + " is not in the heap");
        }
        key[flow] = k;
        siftUp(i);
        siftDown(position[flow]);
    }

    private void siftUp(int i) {
        int flow = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(flow, heap[parent])) {
                break;
            }
            place(i, heap[parent]);
            i = parent;
        }
        place(i, flow);
    }

    private void siftDown(int i) {
        int flow = heap[i];
        for (;;) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], flow)) {
                break;
            }
            place(i, heap[child]);
            i = child;
        }
        place(i, flow);
    }

    // true when flow a orders strictly before flow b: smaller key, or equal key and smaller index
    private boolean before(int a, int b) {
        return key[a] < key[b] || (key[a] == key[b] && a < b);
    }

    private void place(int i, int flow) {
        heap[i] = flow;
        position[flow] = i;
    }
}
