package dev.schedbench.data;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends one request until it has an answer, retrying transient failures per a {@link RetryPolicy}
 * (decision 0504): a failed connection always, and whatever answer the caller's judge calls
 * transient (HTTP 429 and 5xx, an answer cut short). The callers word the problems and decide what
 * running out of attempts means.
 */
final class Retries {

    private Retries() {}

    /** What one answer means to the caller. */
    sealed interface Verdict<T> {
        /** The request is over: an answer, or a final refusal the caller turned into a value. */
        record Done<T>(T value) implements Verdict<T> {}

        /** Worth another attempt, after the server's {@code Retry-After} when it gave one. */
        record Transient<T>(String problem, Optional<Duration> retryAfter) implements Verdict<T> {}
    }

    /** How the request ended. */
    sealed interface Result<T> {
        record Answered<T>(T value) implements Result<T> {}

        /** Every attempt failed transiently; {@code lastProblem} says how the last one did. */
        record GaveUp<T>(String lastProblem, int attempts) implements Result<T> {}
    }

    /**
     * Sends {@code request} until {@code judge} gives a {@link Verdict.Done} or {@code retry}'s attempts
     * are spent, waiting through {@code sleeper} between attempts. {@code judge} may also throw to end
     * the request at once.
     */
    static <T> Result<T> send(HttpClient http, HttpRequest request, RetryPolicy retry, Sleeper sleeper,
                              Function<HttpResponse<byte[]>, Verdict<T>> judge) throws InterruptedException {
        String lastProblem = "";
        for (int attempt = 1; ; attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                switch (judge.apply(response)) {
                    case Verdict.Done<T> done -> {
                        return new Result.Answered<>(done.value());
                    }
                    case Verdict.Transient<T> failed -> {
                        lastProblem = failed.problem();
                        retryAfter = failed.retryAfter();
                    }
                }
            } catch (IOException e) {
                lastProblem = "connection failed (" + describe(e) + ")";
            }
            if (attempt >= retry.maxAttempts()) {
                return new Result.GaveUp<>(lastProblem, attempt);
            }
            sleeper.sleep(retry.delayAfter(attempt, retryAfter));
        }
    }

    /** HTTP 429 and 5xx: the server may answer later; any other failing status is final. */
    static boolean isTransient(int status) {
        return status == 429 || status >= 500;
    }

    /** The wait a response's {@code Retry-After} header asks for, when it has a readable one. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return parseRetryAfter(response.headers().firstValue("Retry-After"));
    }

    /** {@code Retry-After} in seconds or as an HTTP date; a date in the past means now. */
    static Optional<Duration> parseRetryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        try {
            return Optional.of(Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(value) * 1000))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
