package dev.schedbench.sim.engine;

import dev.schedbench.sim.policy.SlotOrder;
import java.util.Arrays;

/**
 * A binary min-heap of slots under a {@link SlotOrder} with a final tie-break, indexed by slot so that
 * an aborted request leaves in O(log n). Keys must not change while a slot is inside.
 */
final class SlotHeap {

    /** Breaks ties of the policy's order; must be total. */
    interface TieBreak {
        int compare(int a, int b);
    }

    private int[] heap = new int[64];
    private int[] position = new int[64];
    private int size;
    private SlotOrder order;
    private final TieBreak tieBreak;

    SlotHeap(TieBreak tieBreak) {
        this.tieBreak = tieBreak;
        Arrays.fill(position, -1);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    SlotOrder order() {
        return order;
    }

    int peek() {
        return heap[0];
    }

    /** Replaces the order; the caller re-inserts every element. */
    int[] drainForReorder(SlotOrder newOrder) {
        int[] drained = Arrays.copyOf(heap, size);
        for (int i = 0; i < size; i++) {
            position[heap[i]] = -1;
        }
        size = 0;
        order = newOrder;
        return drained;
    }

    /** Visits every element in heap (not sorted) order. */
    void forEach(java.util.function.IntConsumer action) {
        for (int i = 0; i < size; i++) {
            action.accept(heap[i]);
        }
    }

    void setOrder(SlotOrder newOrder) {
        if (size != 0) {
            throw new IllegalStateException("reorder a non-empty heap through drainForReorder");
        }
        order = newOrder;
    }

    void add(int slot) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        ensureSlot(slot);
        heap[size] = slot;
        position[slot] = size;
        size++;
        siftUp(size - 1);
    }

    int poll() {
        int top = heap[0];
        removeAt(0);
        return top;
    }

    boolean remove(int slot) {
        if (slot >= position.length || position[slot] < 0) {
            return false;
        }
        removeAt(position[slot]);
        return true;
    }

    private void removeAt(int index) {
        int removed = heap[index];
        position[removed] = -1;
        size--;
        if (index == size) {
            return;
        }
        int last = heap[size];
        heap[index] = last;
        position[last] = index;
        siftDown(index);
        if (heap[index] == last) {
            siftUp(index);
        }
    }

    private boolean less(int a, int b) {
        int c = order.compare(a, b);
        return c != 0 ? c < 0 : tieBreak.compare(a, b) < 0;
    }

    private void siftUp(int index) {
        int slot = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            int parentSlot = heap[parent];
            if (!less(slot, parentSlot)) {
                break;
            }
            heap[index] = parentSlot;
            position[parentSlot] = index;
            index = parent;
        }
        heap[index] = slot;
        position[slot] = index;
    }

    private void siftDown(int index) {
        int slot = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], slot)) {
                break;
            }
            heap[index] = heap[child];
            position[heap[index]] = index;
            index = child;
        }
        heap[index] = slot;
        position[slot] = index;
    }

    private void ensureSlot(int slot) {
        if (slot >= position.length) {
            int old = position.length;
            position = Arrays.copyOf(position, Math.max(slot + 1, old * 2));
            Arrays.fill(position, old, position.length, -1);
        }
    }
}
