package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.RawHttp;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.StubUpstream;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.triage.http.fixture.TestNode.chat;
import static dev.triage.http.fixture.TestNode.completion;
import static org.assertj.core.api.Assertions.assertThat;

/** Server-sent events pass through chunk by chunk, and the usage they report corrects the tpm reservation. */
class StreamingTest {

    @RegisterExtension
    static final NodeRig rig = NodeRig.withStub().config("""
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/upstream-m
                  api_base: ${stub.a}
                  tpm: 1000000
                model_info:
                  id: dep-a
            litellm_settings:
              num_retries: 0
            """);

    @AfterEach
    void idle() {
        rig.node().awaitIdle("m");
        rig.stub().reset();
    }

    /** The content of the data lines of an SSE body, in order. */
    static List<JsonNode> events(String body) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) events.add(TestNode.json(line.substring(6)));
        }
        return events;
    }

    /**
     * Runs {@code call} and asserts that it added {@code expected} to the deployment's tpm usage; run again if the
     * minute-aligned window rolled over meanwhile (which resets the usage).
     */
    private void assertTpmAdded(long expected, Runnable call) {
        for (int attempt = 0; ; attempt++) {
            var before = rig.node().snapshot("m");
            call.run();
            rig.node().awaitIdle("m");
            var after = rig.node().snapshot("m");
            if (after.window() != before.window() && attempt == 0) continue;
            assertThat(after.load("dep-a").tpmUsed() - before.load("dep-a").tpmUsed())
                    .as("tpm usage added: the reservation corrected by the reported usage").isEqualTo(expected);
            return;
        }
    }

    @Test
    void theFirstChunkReachesTheClientWhileTheUpstreamIsStillStreaming() {
        CompletableFuture<Void> releaseRest = new CompletableFuture<>();
        rig.stub().respondAlways(Reply.ok().chunks(3).holdAfter(1, releaseRest));
        try (RawHttp client = RawHttp.connect(rig.node().port())) {
            client.send("POST", "/v1/chat/completions",
                    chat("m", "hi", "\"stream\":true").getBytes(StandardCharsets.UTF_8), "content-type", "application/json");

            RawHttp.Response head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-type")).startsWith("text/event-stream");
            assertThat(head.header("transfer-encoding")).isEqualTo("chunked");
            String first = client.readChunksUntil("w0");
            StubUpstream.Call call = rig.stub().awaitCall(0);
            assertThat(call.answered()).as("the upstream has not finished").isNotDone();
            assertThat(first).doesNotContain("w1");

            releaseRest.complete(null);
            String rest = client.readChunksUntil("[DONE]");
            assertThat(client.readChunk()).as("the stream ends after [DONE]").isNull();

            String all = first + rest;
            StringBuilder content = new StringBuilder();
            for (JsonNode event : events(all)) {
                content.append(event.path("choices").path(0).path("delta").path("content").asText(""));
            }
            assertThat(content.toString()).isEqualTo("w0 w1 w2 ");
            assertThat(all).endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void anUpstreamThatBreaksOffMidStreamEndsTheClientsStreamWithAnErrorEventAndFreesItsSlot() {
        rig.stub().respondAlways(Reply.ok().chunks(3).dropAfter(1));
        try (RawHttp client = RawHttp.connect(rig.node().port())) {
            client.send("POST", "/v1/chat/completions",
                    chat("m", "hi", "\"stream\":true").getBytes(StandardCharsets.UTF_8), "content-type", "application/json");

            assertThat(client.readHead().status()).isEqualTo(200);
            StringBuilder received = new StringBuilder();
            try {
                for (byte[] chunk = client.readChunk(); chunk != null; chunk = client.readChunk()) {
                    received.append(new String(chunk, StandardCharsets.UTF_8));
                }
            } catch (RuntimeException connectionClosed) {
                // a broken connection is an acceptable way to tell the client, too
            }

            // The status is long gone: the last event, an error in OpenAI's envelope in place of [DONE], says so.
            assertThat(received.toString()).contains("w0").doesNotContain("w1").doesNotContain("[DONE]");
            List<JsonNode> events = events(received.toString());
            Envelope.assertError(events.get(events.size() - 1).toString(), "upstream_error", null);
        }
        rig.node().awaitIdle("m");
    }

    @Test
    void theUsageInAStreamsLastChunkBecomesTheDeploymentsTpmUsage() {
        rig.stub().respondAlways(Reply.ok().withUsage(Reply.usage(30, 11)));

        assertTpmAdded(41, () -> {
            HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi", "\"stream\":true"));

            assertThat(response.statusCode()).isEqualTo(200);
            List<JsonNode> events = events(response.body());
            assertThat(events.get(events.size() - 1).path("usage").path("total_tokens").asLong()).isEqualTo(41);
        });
    }

    @Test
    void theUsageOfAWholeAnswerBecomesTheDeploymentsTpmUsage() {
        rig.stub().respondAlways(Reply.ok().withUsage(Reply.usage(20, 3)));

        assertTpmAdded(23, () -> assertThat(rig.node().post("/v1/chat/completions", chat("m", "hi")).statusCode())
                .isEqualTo(200));
    }

    @Test
    void anAnswerWithoutUsageKeepsItsReservationAsItsUsage() {
        rig.stub().respondAlways(Reply.ok().withoutUsage());

        // 8 characters of prompt (2 tokens) + max_tokens 40
        assertTpmAdded(42, () -> assertThat(rig.node().post("/v1/chat/completions",
                chat("m", "12345678", "\"max_tokens\":40")).statusCode()).isEqualTo(200));
    }

    @Test
    void aTextCompletionStreamsToo() {
        HttpResponse<String> response = rig.node().post("/v1/completions", completion("m", "hi", "\"stream\":true"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(rig.stub().calls().get(0).path()).isEqualTo("/a/v1/completions");
        assertThat(rig.stub().calls().get(0).body().path("stream").asBoolean()).isTrue();
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events(response.body())) text.append(event.path("choices").path(0).path("text").asText(""));
        assertThat(text.toString()).isEqualTo("w0 w1 w2 ");
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
    }
}
