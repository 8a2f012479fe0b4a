package dev.schedbench.sim.engine;

import dev.schedbench.sim.policy.SlotOrder;
import java.util.Arrays;

/** vLLM's running deque as an int array; sorting is a stable insertion sort, cheap on a nearly sorted queue. */
final class RunningQueue {

    private int[] items = new int[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int get(int index) {
        return items[index];
    }

    int last() {
        return items[size - 1];
    }

    void add(int slot) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = slot;
    }

    int removeLast() {
        return items[--size];
    }

    void removeAt(int index) {
        System.arraycopy(items, index + 1, items, index, size - index - 1);
        size--;
    }

    /** Removes {@code slot}, searching from the back (victims are usually there); returns its index or -1. */
    int remove(int slot) {
        for (int i = size - 1; i >= 0; i--) {
            if (items[i] == slot) {
                removeAt(i);
                return i;
            }
        }
        return -1;
    }

    int indexOf(int slot) {
        for (int i = size - 1; i >= 0; i--) {
            if (items[i] == slot) {
                return i;
            }
        }
        return -1;
    }

    void sort(SlotOrder order) {
        for (int i = 1; i < size; i++) {
            int slot = items[i];
            int j = i - 1;
            if (order.compare(items[j], slot) <= 0) {
                continue;
            }
            while (j >= 0 && order.compare(items[j], slot) > 0) {
                items[j + 1] = items[j];
                j--;
            }
            items[j + 1] = slot;
        }
    }

    /** Keeps the elements {@code keep} accepts, in order. */
    void retain(java.util.function.IntPredicate keep) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (keep.test(items[i])) {
                items[n++] = items[i];
            }
        }
        size = n;
    }

    void clear() {
        size = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
