package dev.schedbench.sim;

/** A request reaching a virtual-time engine {@code arrivalNanos} after the start of the run. */
public record Arrival(long arrivalNanos, SimRequest request) {

    public Arrival {
        if (arrivalNanos < 0) {
            throw new IllegalArgumentException("arrival time must be >= 0, got " + arrivalNanos);
        }
    }
}
