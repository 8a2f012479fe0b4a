package dev.schedbench.sim.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The writer threads, each owning the exchanges handed to it in turn. A step's writes are spread
 * over them so that on several cores the last stream of a full batch is not served a whole batch of
 * system calls after the first.
 */
final class ResponseWriters implements AutoCloseable {

    private final List<ResponseWriter> writers = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    ResponseWriters(int count) {
        for (int i = 0; i < count; i++) {
            writers.add(new ResponseWriter("sim-http-writer-" + i));
        }
    }

    /** The engine has delivered a step; engine thread. */
    void stepDelivered() {
        for (ResponseWriter writer : writers) {
            writer.stepDelivered();
        }
    }

    /** One writer per core the JVM may use, up to four: beyond that the engine's step rate binds. */
    static int defaultCount() {
        return Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
    }

    /** The writer for a new exchange. */
    ResponseWriter assign() {
        return writers.get(Math.floorMod(next.getAndIncrement(), writers.size()));
    }

    @Override
    public void close() {
        writers.forEach(ResponseWriter::close);
    }
}
