package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The read-only routes, and what a route that does not exist answers. */
class InfoRoutesTest {

    private static final String KEY = "sk-info";

    @RegisterExtension
    static final NodeRig rig = NodeRig.withoutStub().config("""
            model_list:
              - model_name: gpt-4o-mini
                litellm_params:
                  model: openai/gpt-4o-mini
                  mock_response: "A"
              - model_name: gpt-4o-mini
                litellm_params:
                  model: openai/gpt-4o-mini
                  mock_response: "B"
              - model_name: claude-mock
                litellm_params:
                  model: anthropic/claude-3-5-haiku
                  mock_response: "C"
            general_settings:
              master_key: %s
            """.formatted(KEY));

    @Test
    void theModelListIsOpenAIsListOfTheModelGroups() {
        for (String path : new String[] {"/v1/models", "/models"}) {
            HttpResponse<String> response = rig.node().get(path, "authorization", "Bearer " + KEY);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).contains("application/json");
            JsonNode list = TestNode.json(response.body());
            assertThat(list.path("object").asText()).isEqualTo("list");
            assertThat(list.path("data").findValuesAsText("id")).containsExactly("gpt-4o-mini", "claude-mock");
            for (JsonNode model : list.path("data")) {
                assertThat(model.path("object").asText()).isEqualTo("model");
                assertThat(model.path("created").isIntegralNumber()).isTrue();
                assertThat(model.path("owned_by").isTextual()).isTrue();
            }
        }
    }

    @Test
    void theModelListNeedsTheKey() {
        Envelope.assertError(rig.node().get("/v1/models"), 401, "invalid_api_key", null);
        Envelope.assertError(rig.node().get("/models", "authorization", "Bearer nope"), 401, "invalid_api_key", null);
    }

    @Test
    void theLivenessProbesAnswerWithoutAKey() {
        for (String path : new String[] {"/health/liveliness", "/health/liveness"}) {
            HttpResponse<String> response = rig.node().get(path);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TestNode.json(response.body()).asText()).isEqualTo("I'm alive!");
        }
    }

    @Test
    void aRunningNodeIsReady() {
        HttpResponse<String> response = rig.node().get("/health/readiness");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestNode.json(response.body());
        assertThat(body.path("status").asText()).isEqualTo("ready");
        assertThat(body.path("draining").asBoolean()).isFalse();
    }

    @Test
    void theMetricsAreThePrometheusTextWithHttpAndJvmMeters() {
        rig.node().get("/health/liveness");
        rig.node().post("/v1/chat/completions", TestNode.chat("gpt-4o-mini", "hi"), "authorization", "Bearer " + KEY);

        HttpResponse<String> response = rig.node().get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).contains("# TYPE http_server_requests_seconds")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/health/liveness\"[^}]*\\} [1-9]")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/v1/chat/completions\""
                        + "[^}]*status=\"200\"[^}]*\\} [1-9]")
                .contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads");
    }

    @Test
    void anUnknownRouteIsA404Envelope() {
        Envelope.assertError(rig.node().get("/nope"), 404, "not_found", null);
        Envelope.assertError(rig.node().post("/v1/embeddings", "{}", "authorization", "Bearer " + KEY), 404,
                "not_found", null);
    }

    @Test
    void theWrongMethodOnAKnownRouteIsA405Envelope() {
        JsonNode error = Envelope.assertError(rig.node().get("/v1/chat/completions"), 405, "method_not_allowed", null);
        assertThat(error.get("message").asText()).contains("GET");
        Envelope.assertError(rig.node().get("/queue/completions"), 405, "method_not_allowed", null);
        Envelope.assertError(rig.node().post("/health/readiness", "{}"), 405, "method_not_allowed", null);
    }
}
