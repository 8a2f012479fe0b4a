package dev.schedbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Streams completions from an OpenAI-compatible endpoint. Every failure (refused connection, HTTP
 * error, reset, malformed event) becomes the request's error rather than an exception. Thread-safe; one
 * per run.
 */
public final class CompletionClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 2000;

    private final URI apiUrl;
    private final HttpClient http;
    private final StreamTransport transport;
    private final HttpTransport kind;

    /**
     * @param apiUrl      the completions endpoint
     * @param bearerToken sent as {@code Authorization: Bearer ...} when present; never logged
     * @param transport   how completions travel; an https URL always goes through {@code java.net.http}
     */
    public CompletionClient(URI apiUrl, Optional<String> bearerToken, HttpTransport transport) {
        this.apiUrl = apiUrl;
        this.http = HttpClients.streaming();
        HttpTransport chosen = "http".equalsIgnoreCase(apiUrl.getScheme()) ? transport : HttpTransport.JDK;
        this.kind = chosen;
        this.transport = switch (chosen) {
            case JDK -> new JdkStreamTransport(apiUrl, bearerToken, http);
            case NIO -> {
                try {
                    yield new NioStreamTransport(apiUrl, bearerToken);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open a selector", e);
                }
            }
        };
    }

    public CompletionClient(URI apiUrl, Optional<String> bearerToken) {
        this(apiUrl, bearerToken, HttpTransport.NIO);
    }

    public URI apiUrl() {
        return apiUrl;
    }

    /** The transport actually used. */
    public HttpTransport transport() {
        return kind;
    }

    /** For the other calls a run makes ({@code /tokenize}, the profiler): not on the measured path. */
    HttpClient http() {
        return http;
    }

    /**
     * Sends one request and blocks (cheaply, on a virtual thread) until its stream ends.
     *
     * @param sendNanos the {@link System#nanoTime()} taken just before this call; latencies count from it
     */
    public StreamOutcome stream(byte[] payload, long sendNanos, TokenTally tally) {
        return transport.stream(payload, sendNanos, tally);
    }

    /**
     * Starts one request without waiting; the future completes, never exceptionally, when its stream
     * ends, possibly on the client's I/O thread.
     */
    public java.util.concurrent.CompletableFuture<StreamOutcome> start(byte[] payload, long sendNanos, TokenTally tally) {
        return transport.start(payload, sendNanos, tally);
    }

    /** One line for an I/O failure, naming the URL where that helps. */
    static String describe(Throwable e, URI url) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        if (e instanceof ConnectException || cause instanceof ConnectException) {
            return "cannot connect to " + url + ": " + (cause.getMessage() == null ? "connection refused" : cause.getMessage());
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connecting to " + url + " timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "request to " + url + " timed out";
        }
        if (cause instanceof EOFException || cause instanceof ClosedChannelException) {
            return "connection closed by the server before the response ended";
        }
        String message = cause.getMessage();
        return "connection error: " + (message == null ? cause.getClass().getSimpleName() : message);
    }

    /** {@code HTTP 400: message} from vLLM's and OpenAI's error bodies, else the body's start. */
    static String httpError(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String message = text;
        try {
            JsonNode root = JSON.readTree(text);
            if (root != null) {
                JsonNode error = root.path("error");
                if (root.path("message").isTextual()) {
                    message = root.get("message").textValue();
                } else if (error.path("message").isTextual()) {
                    message = error.get("message").textValue();
                } else if (error.isTextual()) {
                    message = error.textValue();
                } else if (root.path("detail").isTextual()) {
                    message = root.get("detail").textValue();
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // not JSON: show the text itself
        }
        if (message.length() > MAX_ERROR_BODY) {
            message = message.substring(0, MAX_ERROR_BODY) + "...";
        }
        return "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
    }

    @Override
    public void close() {
        transport.close();
        http.close();
    }

    /** A connect timeout long enough for a busy server, short enough to notice a wrong address. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
}
