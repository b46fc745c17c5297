package dev.triage.http.server;

import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /metrics} answers a scraper without the key unless {@code require_auth_for_metrics_endpoint} is set. */
class MetricsAuthTest {

    private static final String KEY = "sk-metrics";

    private static TestNode start(boolean requireAuth) {
        return TestNode.start("""
                model_list:
                  - model_name: m
                    litellm_params: {model: openai/m, mock_response: "ok"}
                litellm_settings:
                  require_auth_for_metrics_endpoint: %s
                general_settings:
                  master_key: %s
                """.formatted(requireAuth, KEY));
    }

    @Test
    void byDefaultTheMetricsNeedNoKeyWhileTheModelsDo() {
        try (TestNode node = start(false)) {
            assertThat(node.get("/metrics").statusCode()).isEqualTo(200);
            Envelope.assertError(node.get("/v1/models"), 401, "invalid_api_key", null);
        }
    }

    @Test
    void whenAskedTheMetricsNeedTheKeyAndTheProbesStillDoNot() {
        try (TestNode node = start(true)) {
            Envelope.assertError(node.get("/metrics"), 401, "invalid_api_key", null);
            Envelope.assertError(node.get("/metrics", "authorization", "Bearer nope"), 401, "invalid_api_key", null);
            assertThat(node.get("/metrics", "authorization", "Bearer " + KEY).body()).contains("jvm_threads_live");
            assertThat(node.get("/health/readiness").statusCode()).isEqualTo(200);
            assertThat(node.get("/health/liveness").statusCode()).isEqualTo(200);
        }
    }
}
