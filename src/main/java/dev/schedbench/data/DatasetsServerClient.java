package dev.schedbench.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schedbench.model.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Client of the Hugging Face dataset viewer REST API ({@code datasets-server}): {@code /splits},
 * {@code /size} and {@code /rows}. Transient failures (connection cut, 429, 5xx, an answer cut short)
 * are retried per {@link RetryPolicy}; a gated or missing dataset becomes a {@link UserError} that
 * says what to do. The token only ever travels in the {@code Authorization} header.
 */
public final class DatasetsServerClient {

    public static final URI DEFAULT_BASE_URL = URI.create("https://datasets-server.huggingface.co");
    /** The most rows {@code /rows} returns per call. */
    public static final int MAX_PAGE_ROWS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    /** A (config, split) pair as {@code /splits} lists it. */
    public record SplitRef(String config, String split) {}

    private final HttpClient http;
    private final URI baseUrl;
    private final Optional<HfToken> token;
    private final RetryPolicy retry;
    private final Sleeper sleeper;

    public DatasetsServerClient(HttpClient http, URI baseUrl, Optional<HfToken> token, RetryPolicy retry, Sleeper sleeper) {
        this.http = http;
        String text = baseUrl.toString();
        this.baseUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = token;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** The dataset's page on the Hub, where its conditions are accepted. */
    public static String datasetPage(String dataset) {
        return "https://huggingface.co/datasets/" + dataset;
    }

    public List<SplitRef> splits(String dataset) {
        JsonNode body = get("/splits", query("dataset", dataset), dataset, DatasetsServerClient::parseJson);
        List<SplitRef> refs = new ArrayList<>();
        for (JsonNode s : body.path("splits")) {
            refs.add(new SplitRef(s.path("config").asText(), s.path("split").asText()));
        }
        return refs;
    }

    /** {@code num_rows} of one split from {@code /size}, when the server knows it. */
    public OptionalLong numRows(String dataset, String config, String split) {
        JsonNode body = get("/size", query("dataset", dataset, "config", config), dataset, DatasetsServerClient::parseJson);
        for (JsonNode s : body.path("size").path("splits")) {
            if (s.path("config").asText().equals(config) && s.path("split").asText().equals(split)
                    && s.path("num_rows").canConvertToLong()) {
                return OptionalLong.of(s.path("num_rows").asLong());
            }
        }
        JsonNode configRows = body.path("size").path("config").path("num_rows");
        return configRows.canConvertToLong() ? OptionalLong.of(configRows.asLong()) : OptionalLong.empty();
    }

    public RowsPage rows(String dataset, String config, String split, long offset, int length) {
        if (length < 1 || length > MAX_PAGE_ROWS) {
            throw new IllegalArgumentException("a /rows page holds 1 to " + MAX_PAGE_ROWS + " rows, asked " + length);
        }
        Map<String, String> q = query("dataset", dataset, "config", config, "split", split,
                "offset", Long.toString(offset), "length", Integer.toString(length));
        return get("/rows", q, dataset, RowsPageParser::parse);
    }

    @FunctionalInterface
    private interface BodyParser<T> {
        T parse(byte[] body) throws IOException;
    }

    private <T> T get(String path, Map<String, String> query, String dataset, BodyParser<T> parser) {
        URI uri = URI.create(baseUrl + path + "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET()
                .header("Accept", "application/json")
                .header("User-Agent", "schedbench");
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t.value()));
        HttpRequest request = builder.build();
        Retries.Result<T> result;
        try {
            result = Retries.send(http, request, retry, sleeper, response -> judge(response, path, dataset, parser));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("download of " + dataset + " was interrupted", e);
        }
        return switch (result) {
            case Retries.Result.Answered<T> answered -> answered.value();
            case Retries.Result.GaveUp<T> gaveUp -> throw new UserError("the datasets server at " + baseUrl + " kept failing on "
                    + path + " after " + gaveUp.attempts() + " attempts: " + gaveUp.lastProblem()
                    + ". Try again later; a download resumes where it stopped.");
        };
    }

    private <T> Retries.Verdict<T> judge(HttpResponse<byte[]> response, String path, String dataset, BodyParser<T> parser) {
        int status = response.statusCode();
        if (status == 200) {
            try {
                return new Retries.Verdict.Done<>(parser.parse(response.body()));
            } catch (JacksonException e) {
                return new Retries.Verdict.Transient<>("the answer to " + path + " was not complete JSON ("
                        + e.getOriginalMessage() + ")", Optional.empty());
            } catch (IOException e) {
                throw new UserError("the datasets server at " + baseUrl + " answered " + path
                        + " in an unexpected shape: " + e.getMessage());
            }
        }
        if (Retries.isTransient(status)) {
            return new Retries.Verdict.Transient<>("HTTP " + status + errorSuffix(response.body()), Retries.retryAfter(response));
        }
        throw failure(status, response, dataset, path);
    }

    private UserError failure(int status, HttpResponse<byte[]> response, String dataset, String path) {
        String code = response.headers().firstValue("X-Error-Code").orElse("");
        String error = errorText(response.body());
        String page = datasetPage(dataset);
        boolean unauthenticated = status == 401 || code.equals("ExternalUnauthenticatedError");
        boolean denied = unauthenticated || code.equals("ExternalAuthenticatedError")
                || ((status == 403 || status == 404) && error.contains("gated"));
        if (denied && token.isEmpty()) {
            return new UserError("dataset " + dataset + " is gated (or does not exist) and no Hugging Face token was found. "
                    + "Accept its conditions at " + page + ", create a read token at https://huggingface.co/settings/tokens "
                    + "and put it in the HF_TOKEN environment variable (or name another with --token-env).");
        }
        if (unauthenticated) {
            return new UserError("the Hugging Face token from " + token.orElseThrow().source() + " was not accepted for dataset "
                    + dataset + " (expired or mistyped?). Create a new read token at https://huggingface.co/settings/tokens; "
                    + "the dataset's conditions must be accepted at " + page + ".");
        }
        if (denied) {
            return new UserError("the Hugging Face token from " + token.orElseThrow().source() + " cannot read dataset " + dataset
                    + ": the token's owner has not accepted the dataset's conditions (or the name is misspelled). "
                    + "Accept them at " + page + " while logged in as that user, then run again "
                    + "(a fine-grained token also needs read access to public gated repositories).");
        }
        return new UserError("the datasets server at " + baseUrl + " refused " + path + " for " + dataset + ": HTTP "
                + status + (error.isEmpty() ? "" : " — " + error));
    }

    private static String errorSuffix(byte[] body) {
        String text = errorText(body);
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    /** The {@code error} field of a datasets-server error document, else the start of the body. */
    static String errorText(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.path("error").isTextual()) {
                return node.path("error").asText();
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        String raw = new String(body, StandardCharsets.UTF_8).strip();
        return raw.length() > 200 ? raw.substring(0, 200) + "…" : raw;
    }

    private static JsonNode parseJson(byte[] body) throws IOException {
        return JSON.readTree(body);
    }

    private static Map<String, String> query(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
