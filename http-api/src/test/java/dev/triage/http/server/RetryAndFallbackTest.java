package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.HttpLimits;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two deployments, {@code dep-a} tried first ({@code order: 1}), {@code dep-b} the fallback: a failed attempt
 * (5xx, 429, dropped connection) is retried on the other deployment while {@code num_retries} allows, and
 * answered as a 502 (or a 429 passed on with its Retry-After) when it does not.
 */
class RetryAndFallbackTest {

    @RegisterExtension
    final NodeRig rig = NodeRig.withStub();

    @AfterEach
    void idle() {
        rig.node().awaitIdle("m");
    }

    private void startNode(int numRetries) {
        startNode(numRetries, HttpLimits.DEFAULTS);
    }

    private void startNode(int numRetries, HttpLimits limits) {
        startNode(numRetries, limits, "");
    }

    /** @param moreSettings YAML sections after {@code litellm_settings} */
    private void startNode(int numRetries, HttpLimits limits, String moreSettings) {
        rig.start("""
                model_list:
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: ${stub.a}
                      order: 1
                    model_info:
                      id: dep-a
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: ${stub.b}
                      order: 2
                    model_info:
                      id: dep-b
                litellm_settings:
                  num_retries: %d
                """.formatted(numRetries) + moreSettings, limits);
    }

    private static Reply failure(String kind) {
        return switch (kind) {
            case "500" -> Reply.status(500);
            case "503" -> Reply.status(503);
            case "429" -> Reply.status(429).header("retry-after", "1");
            case "drop" -> Reply.drop();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** dep-a answers {@code onA}, dep-b answers normally. */
    private void firstDeploymentAnswers(Reply onA) {
        rig.stub().respond(call -> call.base().equals("a") ? onA : Reply.ok());
    }

    @ParameterizedTest(name = "dep-a fails with {0}")
    @ValueSource(strings = {"500", "503", "429", "drop"})
    void aFailedAttemptIsRetriedOnTheOtherDeployment(String kind) {
        startNode(1);
        firstDeploymentAnswers(failure(kind));

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi", "\"priority\":2"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-litellm-model-id")).contains("dep-b");
        assertThat(TestNode.json(response.body()).at("/choices/0/message/content").asText()).isEqualTo("answer from b");
        assertThat(rig.stub().bases()).containsExactly("a", "b");
        assertThat(rig.stub().calls().get(1).body().has("priority")).isFalse();
    }

    @Test
    void aStreamedCallIsRetriedBeforeItsFirstByte() {
        startNode(1);
        firstDeploymentAnswers(Reply.status(500));

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi", "\"stream\":true"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-litellm-model-id")).contains("dep-b");
        assertThat(response.body()).contains("w0").endsWith("data: [DONE]\n\n");
        assertThat(rig.stub().bases()).containsExactly("a", "b");
    }

    @ParameterizedTest(name = "dep-a fails with {0}")
    @ValueSource(strings = {"500", "503", "drop"})
    void withoutRetriesAFailedAttemptIsA502(String kind) {
        startNode(0);
        firstDeploymentAnswers(failure(kind));

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi"));

        JsonNode error = Envelope.assertError(response, 502, "upstream_error", null);
        assertThat(error.get("type").asText()).isEqualTo("api_error");
        assertThat(response.headers().firstValue("x-litellm-model-id")).contains("dep-a");
        assertThat(rig.stub().bases()).containsExactly("a");
    }

    @Test
    void withoutRetriesAnUpstream429IsPassedOnWithItsRetryAfter() {
        startNode(0);
        firstDeploymentAnswers(Reply.status(429).header("retry-after", "7"));

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi"));

        JsonNode error = Envelope.assertError(response, 429, "upstream_rate_limited", null);
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(response.headers().firstValue("retry-after")).contains("7");
        assertThat(rig.stub().bases()).containsExactly("a");
    }

    @Test
    void whenEveryRetryFailsTheLastFailureIsAnswered() {
        startNode(1);
        rig.stub().respondAlways(Reply.status(500));

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi"));

        Envelope.assertError(response, 502, "upstream_error", null);
        assertThat(rig.stub().bases()).containsExactly("a", "b");
    }

    @Test
    void a429WithRetryAfterCoolsTheDeploymentDownForThatLongSoTheNextCallGoesStraightToTheOther() {
        // A cooldown_time far from the Retry-After, so that a cooldown of either length tells which one was used.
        startNode(1, HttpLimits.DEFAULTS, "router_settings:\n  cooldown_time: 0.5\n");
        firstDeploymentAnswers(Reply.status(429).header("retry-after", "30"));

        HttpResponse<String> first = rig.node().post("/v1/chat/completions", chat("m", "first"));
        HttpResponse<String> second = rig.node().post("/v1/chat/completions", chat("m", "second"));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-litellm-model-id")).contains("dep-b");
        assertThat(rig.stub().calls()).extracting(c -> c.base() + ":" + c.tag())
                .containsExactly("a:first", "b:first", "b:second");
        long cooldownUntil = rig.node().snapshot("m").load("dep-a").cooldownUntil();
        assertThat(cooldownUntil - System.currentTimeMillis()).as("cooling down for the Retry-After of 30 s")
                .isBetween(20_000L, 30_000L);
    }

    @Test
    void anUpstreamAnswerOverTheSizeLimitIsA502ThatSaysSo() {
        // The answer is cut off with a reset, which also breaks the stream: the reason given must still be the size.
        startNode(0, new HttpLimits(1 << 20, 1 << 20, 16, 1024));
        firstDeploymentAnswers(Reply.ok().body("{\"choices\":[],\"padding\":\"" + "p".repeat(64 * 1024) + "\"}"));

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi"));

        JsonNode error = Envelope.assertError(response, 502, "upstream_error", null);
        assertThat(error.get("message").asText()).contains("size limit");
        assertThat(rig.stub().bases()).containsExactly("a");
    }

    @Test
    void aClientError4xxFromTheUpstreamIsPassedOnAndNotRetried() {
        startNode(1);
        firstDeploymentAnswers(Reply.status(400));

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi"));

        assertThat(response.statusCode()).isEqualTo(400);
        Envelope.assertError(response.body(), "stub_400", null);
        assertThat(rig.stub().bases()).containsExactly("a");
    }
}
