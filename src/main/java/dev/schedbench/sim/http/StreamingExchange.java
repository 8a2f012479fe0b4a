package dev.schedbench.sim.http;

import dev.schedbench.sim.http.StreamChunks.Bytes;
import java.util.Optional;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** A {@code "stream": true} request: one SSE chunk per token, as vLLM sends them. */
final class StreamingExchange extends Exchange {

    private static final byte[] NO_TEXT = new byte[0];

    private final StreamChunks chunks;

    StreamingExchange(ServerContext context, GenerationRequest request, String id, Response response,
            Optional<EndPoint> chunkedEndPoint, Callback completion) {
        super(context, request, id, response, chunkedEndPoint, completion);
        this.chunks = new StreamChunks(request.api(), id, this.created, context.bodies().quoted(request.model()),
                request.usage(), request.promptTokens());
    }

    @Override
    void render(int from, int to, Outcome end, Bytes out) {
        if (from == 0 && to > 0) {
            chunks.role(out);
        }
        String finishReason = end instanceof Finished finished ? finished.reason() : null;
        var vocabulary = context.vocabulary();
        for (int i = from; i < to; i++) {
            chunks.token(out, vocabulary.utf8(word(i)), i == to - 1 ? finishReason : null, i + 1);
        }
        switch (end) {
            case null -> {}
            case Finished finished -> {
                if (to == from) {
                    // the finish came after the last token had gone out: vLLM's empty-text finish chunk
                    chunks.token(out, NO_TEXT, finished.reason(), to);
                }
                chunks.end(out, finished.completionTokens());
            }
            case Failed failed -> StreamChunks.error(out, context.bodies().error(500, "InternalServerError",
                    failed.message()));
        }
    }
}
