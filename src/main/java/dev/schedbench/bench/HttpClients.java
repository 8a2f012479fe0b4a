package dev.schedbench.bench;

import java.net.http.HttpClient;
import java.util.concurrent.Executors;

/** The HTTP client settings the benchmark uses. */
final class HttpClients {

    private HttpClients() {}

    /** HTTP/1.1 (vLLM speaks nothing else), no redirects, a connect timeout. */
    static HttpClient streaming() {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CompletionClient.CONNECT_TIMEOUT);
        switch (System.getProperty("schedbench.http.executor", "default")) {
            case "direct" -> builder.executor(Runnable::run);
            case "virtual" -> builder.executor(Executors.newVirtualThreadPerTaskExecutor());
            case "fixed1" -> builder.executor(Executors.newFixedThreadPool(1));
            case "fixed2" -> builder.executor(Executors.newFixedThreadPool(2));
            default -> { }
        }
        return builder.build();
    }
}
