package dev.schedbench.data;

import java.time.Duration;

/** Waits between retries; tests pass one that records the waits instead of spending them. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = Thread::sleep;
}
