package dev.schedbench.sim.engine;

import dev.schedbench.sim.policy.SlotOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * vLLM's waiting deque, sorted lazily the way the V0 scheduler sorts it, in O(log n) per operation.
 *
 * <p>The deque is kept as three runs: requests pushed to the front since the last sort, the requests
 * of the last sort (a heap in that sort's order), and requests appended since. A sort merges the two
 * outer runs into the heap. Every entry carries a queue sequence number, decreasing for front pushes
 * and increasing for appends, so that numbers follow deque positions; the heap breaks ties of the
 * policy's order by it, which makes each sort stable exactly like Python's {@code sorted}.
 */
final class WaitingQueue {

    private final IntDeque front = new IntDeque();
    private final SlotHeap sorted;
    private final IntDeque tail = new IntDeque();
    private final RequestTable requests;
    private long frontSeq;
    private long backSeq;

    WaitingQueue(RequestTable requests) {
        this.requests = requests;
        this.sorted = new SlotHeap((a, b) -> Long.compare(requests.queueSeq[a], requests.queueSeq[b]));
    }

    int size() {
        return front.size() + sorted.size() + tail.size();
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** First request, or -1. */
    int peek() {
        if (!front.isEmpty()) {
            return front.peekFirst();
        }
        if (!sorted.isEmpty()) {
            return sorted.peek();
        }
        return tail.isEmpty() ? -1 : tail.peekFirst();
    }

    int poll() {
        if (!front.isEmpty()) {
            return front.pollFirst();
        }
        if (!sorted.isEmpty()) {
            return sorted.poll();
        }
        return tail.pollFirst();
    }

    /** {@code appendleft}. */
    void pushFront(int slot) {
        requests.queueSeq[slot] = --frontSeq;
        front.addFirst(slot);
    }

    /** {@code append}. */
    void append(int slot) {
        requests.queueSeq[slot] = ++backSeq;
        tail.addLast(slot);
    }

    /** A stable sort of the whole queue. */
    void sort(SlotOrder order) {
        if (sorted.order() != order) {
            if (sorted.order() == null) {
                sorted.setOrder(order);
            } else {
                for (int slot : sorted.drainForReorder(order)) {
                    sorted.add(slot);
                }
            }
        }
        while (!front.isEmpty()) {
            sorted.add(front.pollFirst());
        }
        while (!tail.isEmpty()) {
            sorted.add(tail.pollFirst());
        }
    }

    boolean remove(int slot) {
        return front.remove(slot) || sorted.remove(slot) || tail.remove(slot);
    }

    /** Visits every waiting request (not in queue order for the sorted run). */
    void forEach(IntConsumer action) {
        for (int i = 0; i < front.size(); i++) {
            action.accept(front.get(i));
        }
        sorted.forEach(action);
        for (int i = 0; i < tail.size(); i++) {
            action.accept(tail.get(i));
        }
    }

    /** The queue in order; O(n log n), for tests and diagnostics. */
    int[] toArray() {
        List<Integer> heapRun = new ArrayList<>();
        sorted.forEach(heapRun::add);
        SlotOrder order = sorted.order();
        heapRun.sort((a, b) -> {
            int c = order.compare(a, b);
            return c != 0 ? c : Long.compare(requests.queueSeq[a], requests.queueSeq[b]);
        });
        int[] out = new int[size()];
        int n = 0;
        for (int i = 0; i < front.size(); i++) {
            out[n++] = front.get(i);
        }
        for (int slot : heapRun) {
            out[n++] = slot;
        }
        for (int i = 0; i < tail.size(); i++) {
            out[n++] = tail.get(i);
        }
        return out;
    }
}
