package dev.schedbench.sim.engine;

import java.util.Arrays;

/** A growable ring buffer of ints: vLLM's {@code deque} of requests without boxing. */
final class IntDeque {

    private int[] items = new int[16];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int get(int index) {
        return items[(head + index) & (items.length - 1)];
    }

    int peekFirst() {
        return items[head];
    }

    void addLast(int value) {
        ensureRoom();
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    void addFirst(int value) {
        ensureRoom();
        head = (head - 1) & (items.length - 1);
        items[head] = value;
        size++;
    }

    int pollFirst() {
        int value = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return value;
    }

    /** Removes the first occurrence of {@code value}; O(n), used only for aborts. */
    boolean remove(int value) {
        for (int i = 0; i < size; i++) {
            if (get(i) == value) {
                for (int j = i; j < size - 1; j++) {
                    items[(head + j) & (items.length - 1)] = get(j + 1);
                }
                size--;
                return true;
            }
        }
        return false;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    private void ensureRoom() {
        if (size == items.length) {
            int[] grown = new int[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = get(i);
            }
            items = grown;
            head = 0;
        }
    }

    @Override
    public String toString() {
        int[] copy = new int[size];
        Arrays.setAll(copy, this::get);
        return Arrays.toString(copy);
    }
}
