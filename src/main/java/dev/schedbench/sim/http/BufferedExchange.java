package dev.schedbench.sim.http;

import dev.schedbench.sim.http.StreamChunks.Bytes;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** A {@code "stream": false} request: one JSON body once the engine has finished it. */
final class BufferedExchange extends Exchange {

    BufferedExchange(ServerContext context, GenerationRequest request, String id, Response response,
            Callback completion) {
        super(context, request, id, response, Optional.empty(), completion);
    }

    @Override
    void render(int from, int to, Outcome end, Bytes out) {
        byte[] body = switch (end) {
            case null -> null;
            case Finished finished -> {
                response.setStatus(200);
                yield switch (request.api()) {
                    case COMPLETIONS -> context.bodies().completion(id, created, request.model(), text(to),
                            finished.reason(), finished.promptTokens(), finished.completionTokens());
                    case CHAT -> context.bodies().chat(id, created, request.model(), text(to), finished.reason(),
                            finished.promptTokens(), finished.completionTokens());
                };
            }
            case Failed failed -> {
                response.setStatus(500);
                yield context.bodies().error(500, "InternalServerError", failed.message());
            }
        };
        if (body != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            out.put(body);
        }
    }

    /** Only the last token is due when the whole body is: the others waited for it by design. */
    @Override
    int firstTimed(int from, int to) {
        return to - 1;
    }

    private String text(int tokens) {
        StringBuilder text = new StringBuilder(tokens * 6);
        var vocabulary = context.vocabulary();
        for (int i = 0; i < tokens; i++) {
            text.append(vocabulary.word(word(i)));
        }
        return text.toString();
    }
}
