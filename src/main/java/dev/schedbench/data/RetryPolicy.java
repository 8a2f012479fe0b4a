package dev.schedbench.data;

import java.time.Duration;
import java.util.Optional;

/**
 * How often and how patiently a transient failure (connection cut, HTTP 429 or 5xx) is retried.
 * Waits double from {@code initialDelay} up to {@code maxDelay}; a server's {@code Retry-After} wins
 * when it gives one, up to {@code maxRetryAfter}.
 *
 * @param maxAttempts   tries in all, the first included
 * @param initialDelay  wait before the second try
 * @param maxDelay      longest back-off wait
 * @param maxRetryAfter longest wait a {@code Retry-After} header may ask for
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxRetryAfter) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt is needed, got " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("retry delays must not be negative");
        }
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialDelay, maxDelay, maxRetryAfter);
    }

    public RetryPolicy withInitialDelay(Duration delay) {
        return new RetryPolicy(maxAttempts, delay, maxDelay.compareTo(delay) < 0 ? delay : maxDelay, maxRetryAfter);
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public Duration delayAfter(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get();
            return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
        }
        long factor = 1L << Math.min(attempt - 1, 30);
        Duration backoff = initialDelay.multipliedBy(factor);
        return backoff.compareTo(maxDelay) > 0 ? maxDelay : backoff;
    }
}
