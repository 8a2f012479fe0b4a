package dev.schedbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.schedbench.model.UserError;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

    /** What a current (V1) vLLM serves: no gpu_cache_usage_perc, an engine label, Go-style numbers. */
    private static final String CURRENT_VLLM = """
            # HELP vllm:num_requests_running Number of requests in model execution batches.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B"} 12.0
            # TYPE vllm:num_requests_waiting gauge
            vllm:num_requests_waiting{engine="0",model_name="meta-llama/Llama-3.1-8B"} 3.0
            # TYPE vllm:kv_cache_usage_perc gauge
            vllm:kv_cache_usage_perc{engine="0",model_name="meta-llama/Llama-3.1-8B"} 0.4375
            # TYPE vllm:num_preemptions_total counter
            vllm:num_preemptions_total{engine="0",model_name="meta-llama/Llama-3.1-8B"} 1.234567e+06
            # TYPE vllm:request_success_total counter
            vllm:request_success_total{engine="0",finished_reason="stop",model_name="meta-llama/Llama-3.1-8B"} 5.0
            vllm:request_success_total{engine="0",finished_reason="length",model_name="meta-llama/Llama-3.1-8B"} 2.0
            vllm:request_success_total{engine="0",finished_reason="abort",model_name="meta-llama/Llama-3.1-8B"} 1.0
            # TYPE vllm:e2e_request_latency_seconds histogram
            vllm:e2e_request_latency_seconds_bucket{engine="0",le="+Inf",model_name="meta-llama/Llama-3.1-8B"} 8.0
            weird_label{a="quote \\" and \\\\ and \\n",b="x",} NaN 1700000000000
            """;

    @Test
    void parsesSamplesLabelsAndSpecialNumbers() {
        PrometheusScrape scrape = PrometheusScrape.parse(CURRENT_VLLM);
        assertEquals("counter", scrape.types().get("vllm:num_preemptions_total"));
        assertEquals(1_234_567.0, scrape.sum("vllm:num_preemptions_total").orElseThrow());
        assertEquals(8.0, scrape.sum("vllm:request_success_total").orElseThrow());
        assertEquals(5.0, scrape.sum("vllm:request_success_total", Map.of("finished_reason", "stop")).orElseThrow());
        assertEquals(Double.POSITIVE_INFINITY, Double.parseDouble(scrape.series("vllm:e2e_request_latency_seconds_bucket",
                Map.of()).getFirst().labels().get("le").replace("+Inf", "Infinity")));
        PrometheusScrape.Sample weird = scrape.series("weird_label", Map.of()).getFirst();
        assertEquals("quote \" and \\ and \n", weird.labels().get("a"));
        assertTrue(Double.isNaN(weird.value()));
        assertTrue(scrape.sum("vllm:gpu_cache_usage_perc").isEmpty());
    }

    @Test
    void scraperFallsBackAcrossVllmGenerations() {
        ServerMetricsScraper scraper = new ServerMetricsScraper(java.net.http.HttpClient.newHttpClient(),
                java.net.URI.create("http://127.0.0.1:1"), Optional.of("meta-llama/Llama-3.1-8B"));
        ServerMetrics current = scraper.read(PrometheusScrape.parse(CURRENT_VLLM));
        assertEquals(12, current.running());
        assertEquals(0.4375, current.kvCacheUsage());
        assertTrue(current.swapped().isEmpty());

        ServerMetrics old = scraper.read(PrometheusScrape.parse("""
                vllm:num_requests_running{model_name="meta-llama/Llama-3.1-8B"} 1.0
                vllm:num_requests_waiting{model_name="meta-llama/Llama-3.1-8B"} 0.0
                vllm:num_requests_swapped{model_name="meta-llama/Llama-3.1-8B"} 2.0
                vllm:gpu_cache_usage_perc{model_name="meta-llama/Llama-3.1-8B"} 0.25
                """));
        assertEquals(0.25, old.kvCacheUsage());
        assertEquals(2.0, old.swapped().orElseThrow());
        assertEquals(0.0, old.preemptionsTotal());
    }

    @Test
    void aServerWithoutVllmMetricsIsAClearError() {
        ServerMetricsScraper scraper = new ServerMetricsScraper(java.net.http.HttpClient.newHttpClient(),
                java.net.URI.create("http://127.0.0.1:9"), Optional.of("gpt2"));
        UserError error = assertThrows(UserError.class,
                () -> scraper.read(PrometheusScrape.parse("process_cpu_seconds_total 3.0\n")));
        assertEquals("http://127.0.0.1:9/metrics has no vllm:num_requests_running for {model_name=gpt2}; "
                + "is it a vLLM server (and the right model name)?", error.getMessage());
    }

    @Test
    void malformedTextNamesTheLine() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PrometheusScrape.parse("ok 1\nbroken{a=\"1\" 2\n"));
        assertTrue(error.getMessage().startsWith("line 2 is not a Prometheus sample"), error.getMessage());
    }
}
