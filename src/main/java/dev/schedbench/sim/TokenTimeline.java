package dev.schedbench.sim;

import java.util.Arrays;

/**
 * One request's token times (nanoseconds since the start of the run), a read-only view into the run's
 * token-time arena. Equal when the times are equal.
 */
public final class TokenTimeline {

    static final TokenTimeline EMPTY = new TokenTimeline(new long[0][], 0, 0);

    private final long[][] pages;
    private final long offset;
    private final int size;

    TokenTimeline(long[][] pages, long offset, int size) {
        this.pages = pages;
        this.offset = offset;
        this.size = size;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Token {@code i}'s time. */
    public long at(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("token " + i + " of " + size);
        }
        long position = offset + i;
        return pages[(int) (position >>> TimeArena.PAGE_BITS)][(int) (position & TimeArena.PAGE_MASK)];
    }

    public long last() {
        return at(size - 1);
    }

    public long[] toArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = at(i);
        }
        return out;
    }

    /** Gaps between successive tokens (vLLM's inter-token latencies). */
    public long[] gaps() {
        if (size < 2) {
            return new long[0];
        }
        long[] out = new long[size - 1];
        long previous = at(0);
        for (int i = 1; i < size; i++) {
            long t = at(i);
            out[i - 1] = t - previous;
            previous = t;
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof TokenTimeline t) || t.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (at(i) != t.at(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toArray());
    }

    @Override
    public String toString() {
        return size <= 8 ? Arrays.toString(toArray()) : "[" + size + " tokens, " + at(0) + " .. " + last() + "]";
    }
}
