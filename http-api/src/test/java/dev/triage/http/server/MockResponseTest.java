package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.List;

import static dev.triage.http.fixture.TestNode.chat;
import static dev.triage.http.fixture.TestNode.completion;
import static org.assertj.core.api.Assertions.assertThat;

/** A {@code mock_response} deployment answers by itself, whole or streamed, in OpenAI's shapes, with usage. */
class MockResponseTest {

    private static final String TEXT = "Hello from the mock deployment";

    @RegisterExtension
    static final NodeRig rig = NodeRig.withoutStub().config("""
            model_list:
              - model_name: mock
                litellm_params:
                  model: openai/gpt-mock
                  mock_response: "%s"
                  tpm: 1000000
                model_info:
                  id: mock-1
              - model_name: claude
                litellm_params: {model: anthropic/claude-3-5-haiku, mock_response: "hi"}
              - model_name: llama
                litellm_params: {model: hosted_vllm/meta-llama/Llama-3.1-8B, mock_response: "hi"}
              - model_name: plain
                litellm_params: {model: gpt-4o-mini, mock_response: "hi"}
            litellm_settings:
              num_retries: 0
            """.formatted(TEXT));

    @AfterEach
    void idle() {
        rig.node().awaitIdle("mock");
    }

    private static void assertUsage(JsonNode usage) {
        assertThat(usage.path("prompt_tokens").asLong()).isPositive();
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(TEXT.split(" ").length);
        assertThat(usage.path("total_tokens").asLong())
                .isEqualTo(usage.path("prompt_tokens").asLong() + usage.path("completion_tokens").asLong());
    }

    @Test
    void theAnswersModelIsTheDeploymentsModelWithoutItsProviderPrefixWhateverTheProvider() {
        for (String[] group : new String[][] {{"mock", "gpt-mock"}, {"claude", "claude-3-5-haiku"},
                {"llama", "meta-llama/Llama-3.1-8B"}, {"plain", "gpt-4o-mini"}}) {
            for (boolean stream : new boolean[] {false, true}) {
                HttpResponse<String> response = rig.node().post("/v1/chat/completions",
                        chat(group[0], "hi", "\"stream\":" + stream));

                assertThat(response.statusCode()).isEqualTo(200);
                String body = stream ? response.body().lines().filter(line -> line.startsWith("data: {"))
                        .findFirst().orElseThrow().substring(6) : response.body();
                assertThat(TestNode.json(body).path("model").asText()).as("%s, stream %s", group[0], stream)
                        .isEqualTo(group[1]);
            }
        }
    }

    @Test
    void aChatCompletionIsAnsweredWholeWithUsage() {
        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("mock", "hi", "\"priority\":1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-litellm-model-id")).contains("mock-1");
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        JsonNode answer = TestNode.json(response.body());
        assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
        assertThat(answer.path("id").asText()).startsWith("chatcmpl-");
        assertThat(answer.path("model").asText()).isEqualTo("gpt-mock");
        assertThat(answer.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo(TEXT);
        assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertUsage(answer.path("usage"));
    }

    @Test
    void aTextCompletionIsAnsweredWholeWithUsage() {
        HttpResponse<String> response = rig.node().post("/completions", completion("mock", "hi", ""));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = TestNode.json(response.body());
        assertThat(answer.path("object").asText()).isEqualTo("text_completion");
        assertThat(answer.at("/choices/0/text").asText()).isEqualTo(TEXT);
        assertUsage(answer.path("usage"));
    }

    @Test
    void aChatCompletionIsStreamedWordByWordWithUsageInTheLastChunk() {
        HttpResponse<String> response =
                rig.node().post("/queue/chat/completions", chat("mock", "hi", "\"stream\":true"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        List<JsonNode> events = StreamingTest.events(response.body());
        assertThat(events).hasSizeGreaterThan(2);
        StringBuilder content = new StringBuilder();
        for (JsonNode event : events) {
            assertThat(event.path("object").asText()).isEqualTo("chat.completion.chunk");
            content.append(event.at("/choices/0/delta/content").asText(""));
        }
        assertThat(content.toString()).isEqualTo(TEXT);
        assertThat(events.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertUsage(last.path("usage"));
    }

    @Test
    void aTextCompletionIsStreamedWithUsageInTheLastChunk() {
        HttpResponse<String> response = rig.node().post("/v1/completions", completion("mock", "hi", "\"stream\":true"));

        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> events = StreamingTest.events(response.body());
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events) text.append(event.at("/choices/0/text").asText(""));
        assertThat(text.toString()).isEqualTo(TEXT);
        assertUsage(events.get(events.size() - 1).path("usage"));
    }

    @Test
    void theMockUsageIsWhatTheDeploymentsTpmCounts() {
        var before = rig.node().snapshot("mock");
        HttpResponse<String> response =
                rig.node().post("/v1/chat/completions", chat("mock", "hi", "\"max_tokens\":5000"));
        rig.node().awaitIdle("mock");
        var after = rig.node().snapshot("mock");

        long reported = TestNode.json(response.body()).at("/usage/total_tokens").asLong();
        if (after.window() == before.window()) {
            assertThat(after.load("mock-1").tpmUsed() - before.load("mock-1").tpmUsed()).isEqualTo(reported);
        }
    }
}
