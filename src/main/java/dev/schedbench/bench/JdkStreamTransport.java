package dev.schedbench.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Streams completions with {@code java.net.http}: the body is parsed where the client delivers it,
 * without an intermediate stream or thread of ours.
 */
final class JdkStreamTransport implements StreamTransport {

    private final URI apiUrl;
    private final Optional<String> bearerToken;
    private final HttpClient http;

    JdkStreamTransport(URI apiUrl, Optional<String> bearerToken, HttpClient http) {
        this.apiUrl = apiUrl;
        this.bearerToken = bearerToken;
        this.http = http;
    }

    @Override
    public CompletableFuture<StreamOutcome> start(byte[] payload, long sendNanos, TokenTally tally) {
        CompletionStreamParser parser = new CompletionStreamParser(sendNanos, tally);
        try {
            return http.sendAsync(request(payload), handler(parser))
                    .thenApply(HttpResponse::body)
                    .exceptionally(e -> StreamOutcome.failed(CompletionClient.describe(
                            e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e, apiUrl)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(StreamOutcome.failed("client error: " + e));
        }
    }

    private HttpRequest request(byte[] payload) {
        HttpRequest.Builder request = HttpRequest.newBuilder(apiUrl)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return request.build();
    }

    private HttpResponse.BodyHandler<StreamOutcome> handler(CompletionStreamParser parser) {
        return info -> info.statusCode() == 200 ? new StreamSubscriber(parser, apiUrl) : errorBody(info.statusCode());
    }

    @Override
    public StreamOutcome stream(byte[] payload, long sendNanos, TokenTally tally) {
        CompletionStreamParser parser = new CompletionStreamParser(sendNanos, tally);
        try {
            return http.send(request(payload), handler(parser)).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StreamOutcome.failed("interrupted");
        } catch (IOException e) {
            return StreamOutcome.failed(CompletionClient.describe(e, apiUrl));
        } catch (RuntimeException e) {
            return StreamOutcome.failed("client error: " + e);
        }
    }

    @Override
    public void close() {
        // the HttpClient belongs to the CompletionClient
    }

    private static HttpResponse.BodySubscriber<StreamOutcome> errorBody(int status) {
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                body -> StreamOutcome.failed(CompletionClient.httpError(status, body)));
    }

    /** Feeds the body to the parser as the client hands it over; a settled failure stops reading. */
    private static final class StreamSubscriber implements HttpResponse.BodySubscriber<StreamOutcome> {

        private final CompletionStreamParser parser;
        private final URI url;
        private final CompletableFuture<StreamOutcome> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        StreamSubscriber(CompletionStreamParser parser, URI url) {
            this.parser = parser;
            this.url = url;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            long now = System.nanoTime();
            for (int i = 0, n = buffers.size(); i < n; i++) {
                parser.feed(buffers.get(i), now);
            }
            if (parser.failed()) {
                subscription.cancel();
                result.complete(parser.outcome());
            }
        }

        @Override
        public void onError(Throwable error) {
            parser.broken(CompletionClient.describe(error, url));
            result.complete(parser.outcome());
        }

        @Override
        public void onComplete() {
            parser.endOfStream(System.nanoTime());
            result.complete(parser.outcome());
        }

        @Override
        public CompletionStage<StreamOutcome> getBody() {
            return result;
        }
    }
}
