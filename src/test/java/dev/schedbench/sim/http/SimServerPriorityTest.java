package dev.schedbench.sim.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.schedbench.model.Policy;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SimServerPriorityTest {

    @Test
    void priorityIsAcceptedUnderPriorityAwarePolicies() {
        for (Policy policy : new Policy[] {Policy.PRIORITY, Policy.PRIORITY_ROUND_ROBIN}) {
            try (SimServer server = TestServers.gpt2(policy)) {
                HttpResponse<String> response = Http.post(server.baseUrl(), "/v1/completions",
                        "{\"model\":\"gpt2\",\"prompt\":\"hi\",\"priority\":42,\"max_tokens\":2}");
                assertEquals(200, response.statusCode(), policy + ": " + response.body());
            }
        }
    }

    @Test
    void priorityIsRefusedUnderRoundRobin() {
        try (SimServer server = TestServers.gpt2(Policy.ROUND_ROBIN)) {
            HttpResponse<String> response = Http.post(server.baseUrl(), "/v1/completions",
                    "{\"model\":\"gpt2\",\"prompt\":\"hi\",\"priority\":-3}");
            assertEquals(400, response.statusCode());
            assertEquals("{\"object\":\"error\",\"message\":\"Got priority -3 but Priority scheduling is not enabled.\","
                    + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}", response.body());
        }
    }
}
