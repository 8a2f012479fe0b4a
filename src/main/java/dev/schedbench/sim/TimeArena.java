package dev.schedbench.sim;

import java.util.Arrays;

/**
 * Token times of a whole run in large pages. A page is big enough that the collector allocates it
 * outside the young generation, so millions of timestamps are never copied by young collections, as
 * per-request arrays would be.
 */
final class TimeArena {

    static final int PAGE_BITS = 20;
    static final long PAGE_MASK = (1L << PAGE_BITS) - 1;

    private long[][] pages = new long[0][];
    private long reserved;

    /** Reserves {@code count} consecutive positions; returns the first. */
    long reserve(int count) {
        long first = reserved;
        reserved += count;
        int needed = (int) ((reserved + PAGE_MASK) >>> PAGE_BITS);
        if (needed > pages.length) {
            int old = pages.length;
            pages = Arrays.copyOf(pages, needed);
            for (int i = old; i < needed; i++) {
                pages[i] = new long[1 << PAGE_BITS];
            }
        }
        return first;
    }

    void set(long position, long value) {
        pages[(int) (position >>> PAGE_BITS)][(int) (position & PAGE_MASK)] = value;
    }

    TokenTimeline timeline(long offset, int size) {
        return size == 0 ? TokenTimeline.EMPTY : new TokenTimeline(pages, offset, size);
    }
}
