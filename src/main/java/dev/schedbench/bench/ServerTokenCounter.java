package dev.schedbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.schedbench.data.TokenCounter;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Counts tokens with the served model's own tokenizer through vLLM's {@code POST /tokenize}: exact for
 * every model, with no tokenizer files on this machine.
 */
public final class ServerTokenCounter implements TokenCounter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final URI tokenizeUrl;
    private final String model;

    private ServerTokenCounter(HttpClient http, URI tokenizeUrl, String model) {
        this.http = http;
        this.tokenizeUrl = tokenizeUrl;
        this.model = model;
    }

    /**
     * Asks the server once whether it tokenizes. A server that cannot be reached at all is the user's
     * problem to fix now, so that gives a {@link UserError}; one without the endpoint gives empty.
     */
    public static Optional<ServerTokenCounter> probe(HttpClient http, URI baseUrl, String model) {
        URI url = Endpoints.join(baseUrl, "/tokenize");
        ServerTokenCounter counter = new ServerTokenCounter(http, url, model);
        try {
            HttpResponse<String> response = counter.post("hello", true);
            if (response.statusCode() == 200 && JSON.readTree(response.body()).path("count").isIntegralNumber()) {
                return Optional.of(counter);
            }
            return Optional.empty();
        } catch (ConnectException e) {
            throw new UserError("cannot connect to the server at " + baseUrl + " (" + CompletionClient.describe(e, url)
                    + "); start it first, or pass the right --base-url / --host / --port");
        } catch (IOException e) {
            throw new UserError("the server at " + baseUrl + " did not answer: " + CompletionClient.describe(e, url), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while contacting " + baseUrl, e);
        }
    }

    @Override
    public int count(String text) {
        return request(text, false);
    }

    @Override
    public int countPrompt(String prompt) {
        return request(prompt, true);
    }

    @Override
    public String description() {
        return "server " + tokenizeUrl.getPath() + " (the served model's tokenizer)";
    }

    private int request(String text, boolean specialTokens) {
        try {
            HttpResponse<String> response = post(text, specialTokens);
            if (response.statusCode() != 200) {
                throw new UserError("the server's " + tokenizeUrl + " failed: "
                        + CompletionClient.httpError(response.statusCode(), response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            JsonNode count = JSON.readTree(response.body()).path("count");
            if (!count.isIntegralNumber()) {
                throw new UserError("the server's " + tokenizeUrl + " answered without a token count: " + response.body());
            }
            return count.intValue();
        } catch (IOException e) {
            throw new UserError("counting tokens with " + tokenizeUrl + " failed: " + CompletionClient.describe(e, tokenizeUrl), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while counting tokens", e);
        }
    }

    private HttpResponse<String> post(String text, boolean specialTokens) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("prompt", text);
        body.put("add_special_tokens", specialTokens);
        HttpRequest request = HttpRequest.newBuilder(tokenizeUrl)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
