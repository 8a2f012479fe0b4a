package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.Policy;
import dev.schedbench.server.PrometheusScrape;
import dev.schedbench.server.ServerMetrics;
import dev.schedbench.server.ServerMetricsScraper;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: vLLM's names, labels, bucket edges; and the client-side scraper reading them. */
class SimServerMetricsTest {

    @Test
    void metricsAfterSomeRequests() throws Exception {
        try (SimServer server = TestServers.gpt2(Policy.PRIORITY)) {
            Http.post(server.baseUrl(), "/v1/completions",
                    "{\"model\":\"gpt2\",\"prompt\":\"Hello there\",\"max_tokens\":10,\"x_sim_output_len\":3}");
            Http.post(server.baseUrl(), "/v1/completions",
                    "{\"model\":\"gpt2\",\"prompt\":\"Hello again\",\"max_tokens\":4,\"ignore_eos\":true,"
                            + "\"stream\":true,\"priority\":7}");
            HttpResponse<String> response = Http.get(server.baseUrl(), "/metrics");
            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    response.headers().firstValue("content-type").orElseThrow());
            // bucket counts and sums depend on timing; everything else is exact
            String stable = response.body().replaceAll("(?m)^(\\S+_(bucket|sum)\\{.*\\}) \\S+$", "$1 <timing>");
            Golden.assertMatches("metrics.txt", stable);

            PrometheusScrape scrape = PrometheusScrape.parse(response.body());
            assertEquals("histogram", scrape.types().get("vllm:time_to_first_token_seconds"));
            assertEquals(2.0, scrape.sum("vllm:time_to_first_token_seconds_count").orElseThrow());
            assertEquals(2.0, scrape.sum("vllm:time_to_first_token_seconds_bucket",
                    Map.of("le", "+Inf")).orElseThrow());
            assertEquals(5.0, scrape.sum("vllm:inter_token_latency_seconds_count").orElseThrow(), "2 + 3 gaps");
            assertTrue(scrape.sum("vllm:e2e_request_latency_seconds_sum").orElseThrow() > 0);

            ServerMetrics metrics = new ServerMetricsScraper(Http.CLIENT, server.baseUrl(), Optional.of("gpt2"))
                    .scrape();
            assertEquals(0, metrics.running());
            assertEquals(0, metrics.waiting());
            assertEquals(7.0, metrics.generationTokensTotal().orElseThrow());
            assertEquals(2.0, metrics.requestsSucceeded().orElseThrow());
        }
    }
}
