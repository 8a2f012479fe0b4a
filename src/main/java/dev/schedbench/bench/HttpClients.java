package dev.schedbench.bench;

import java.net.http.HttpClient;

/** The HTTP client settings the benchmark uses. */
final class HttpClients {

    private HttpClients() {}

    /** HTTP/1.1 (vLLM speaks nothing else), no redirects, a connect timeout. */
    static HttpClient streaming() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CompletionClient.CONNECT_TIMEOUT)
                .build();
    }
}
