package dev.schedbench.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A datasets-server on loopback serving {@code /splits}, {@code /size} and {@code /rows} in the
 * documented shapes, with gating and injectable faults (error statuses, Retry-After, cut connections).
 */
public final class FakeDatasetsServer implements AutoCloseable {

    public static final String ACCEPTED_TOKEN = "hf_AcceptedTokenValue0123456789";
    public static final String UNACCEPTED_TOKEN = "hf_NotAcceptedTokenValue987654321";

    static final String UNAUTHENTICATED_ERROR = "The dataset does not exist, or is not accessible without authentication "
            + "(private or gated). Please check the spelling of the dataset name or retry with authentication.";
    static final String AUTHENTICATED_ERROR = "The dataset does not exist, or is not accessible with the current credentials "
            + "(private or gated). Please check the spelling of the dataset name or retry with other authentication credentials.";

    /** What a request looked like. */
    public record Seen(String path, Map<String, String> query, Optional<String> authorization) {}

    /** A fault served instead of the normal answer. */
    sealed interface Fault {
        record Status(int code, Optional<String> retryAfter, String body) implements Fault {}

        /** Headers promise the whole page, then the connection closes half-way through the body. */
        record Cut() implements Fault {}
    }

    static Fault status(int code) {
        return new Fault.Status(code, Optional.empty(), "{\"error\": \"Internal Server Error\"}");
    }

    static Fault retryAfter(int code, String retryAfter) {
        return new Fault.Status(code, Optional.of(retryAfter), "{\"error\": \"Too Many Requests\"}");
    }

    static Fault cut() {
        return new Fault.Cut();
    }

    private final String dataset;
    private final List<ObjectNode> rows;
    private final boolean gated;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final Map<Long, Deque<Fault>> rowFaults = new ConcurrentHashMap<>();
    private final Set<Long> truncatedRows = Collections.synchronizedSet(new HashSet<>());
    private volatile boolean sizeKnown = true;

    public FakeDatasetsServer(String dataset, List<ObjectNode> rows, boolean gated) throws IOException {
        this.dataset = dataset;
        this.rows = List.copyOf(rows);
        this.gated = gated;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Seen> requests() {
        return List.copyOf(seen);
    }

    List<Seen> requests(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).toList();
    }

    /** Faults served, in order, by the next requests to {@code path}. */
    void failNext(String path, Fault... next) {
        faults.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(next));
    }

    /** Faults served by the next {@code /rows} requests starting at {@code offset}. */
    void failRowsAt(long offset, Fault... next) {
        rowFaults.computeIfAbsent(offset, p -> new ArrayDeque<>()).addAll(List.of(next));
    }

    /** Rows whose conversation_a the server cuts short when they come in a page with others. */
    void truncateInPages(long... rowIdx) {
        for (long r : rowIdx) {
            truncatedRows.add(r);
        }
    }

    /** Makes {@code /size} answer without this split's row count. */
    void forgetSize() {
        sizeKnown = false;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = parseQuery(ex.getRequestURI().getRawQuery());
            Optional<String> auth = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization"));
            seen.add(new Seen(path, query, auth));
            Deque<Fault> pending = faults.get(path);
            Fault fault = pending == null ? null : pending.pollFirst();
            if (fault == null && path.equals("/rows")) {
                Deque<Fault> atOffset = rowFaults.get(Long.parseLong(query.getOrDefault("offset", "0")));
                fault = atOffset == null ? null : atOffset.pollFirst();
            }
            if (fault instanceof Fault.Status s) {
                s.retryAfter().ifPresent(v -> ex.getResponseHeaders().add("Retry-After", v));
                send(ex, s.code(), s.body(), Optional.empty());
                return;
            }
            if (!query.getOrDefault("dataset", "").equals(dataset)) {
                send(ex, 404, "{\"error\": \"" + AUTHENTICATED_ERROR + "\"}", Optional.of("ExternalAuthenticatedError"));
                return;
            }
            if (gated) {
                if (auth.isEmpty()) {
                    send(ex, 401, "{\"error\": \"" + UNAUTHENTICATED_ERROR + "\"}", Optional.of("ExternalUnauthenticatedError"));
                    return;
                }
                if (!auth.get().equals("Bearer " + ACCEPTED_TOKEN)) {
                    send(ex, 404, "{\"error\": \"" + AUTHENTICATED_ERROR + "\"}", Optional.of("ExternalAuthenticatedError"));
                    return;
                }
            }
            String body = switch (path) {
                case "/splits" -> splits();
                case "/size" -> size();
                case "/rows" -> rows(query);
                default -> null;
            };
            if (body == null) {
                send(ex, 404, "{\"error\": \"Not Found\"}", Optional.empty());
            } else if (fault instanceof Fault.Cut) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, bytes.length);
                OutputStream out = ex.getResponseBody();
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                // closing short of Content-Length makes the server drop the connection
            } else {
                send(ex, 200, body, Optional.empty());
            }
        } catch (IOException expectedOnCut) {
            // the cut fault closes the stream short on purpose
        }
    }

    private String splits() {
        ObjectNode body = ArenaRows.JSON.createObjectNode();
        body.putArray("splits").addObject().put("dataset", dataset).put("config", "default").put("split", "train");
        body.putArray("pending");
        body.putArray("failed");
        return body.toString();
    }

    private String size() {
        ObjectNode body = ArenaRows.JSON.createObjectNode();
        ObjectNode size = body.putObject("size");
        size.putObject("dataset").put("dataset", dataset).put("num_bytes_original_files", 41573740)
                .put("num_bytes_parquet_files", 41573740).put("num_bytes_memory", 81159839).put("num_rows", rows.size());
        ArrayNode configs = size.putArray("configs");
        configs.addObject().put("dataset", dataset).put("config", "default").put("num_rows", rows.size()).put("num_columns", 13);
        ArrayNode splits = size.putArray("splits");
        if (sizeKnown) {
            splits.addObject().put("dataset", dataset).put("config", "default").put("split", "train")
                    .put("num_bytes_parquet_files", 41573740).put("num_bytes_memory", 81159839)
                    .put("num_rows", rows.size()).put("num_columns", 13);
        }
        body.putArray("pending");
        body.putArray("failed");
        body.put("partial", false);
        if (!sizeKnown) {
            configs.removeAll();
        }
        return body.toString();
    }

    private String rows(Map<String, String> query) {
        int offset = Integer.parseInt(query.get("offset"));
        int length = Integer.parseInt(query.get("length"));
        if (length > 100) {
            throw new IllegalStateException("client asked for " + length + " rows; the API allows 100");
        }
        int end = Math.min(rows.size(), offset + length);
        List<ObjectNode> slice = offset >= rows.size() ? List.of() : rows.subList(offset, end);
        Set<Long> truncated = length == 1 ? Set.of() : Set.copyOf(truncatedRows);
        return ArenaRows.page(slice, offset, rows.size(), truncated).toString();
    }

    private static void send(HttpExchange ex, int status, String body, Optional<String> errorCode) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        errorCode.ifPresent(c -> ex.getResponseHeaders().add("X-Error-Code", c));
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> map = new LinkedHashMap<>();
        if (raw == null) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(key, value);
        }
        return map;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
