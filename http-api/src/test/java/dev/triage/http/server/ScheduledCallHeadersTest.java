package dev.triage.http.server;

import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.RawHttp;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** What a scheduled call tells its client in headers, as LiteLLM's prioritization does, plus Triage's own. */
class ScheduledCallHeadersTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @RegisterExtension
    static final NodeRig rig = NodeRig.withStub().config("""
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/upstream-m
                  api_base: ${stub.a}
                  max_parallel_requests: 1
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

    @Test
    void aScheduledCallCarriesThePrioritizationHeadersAndTheClientsRequestId() {
        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi", "\"priority\":4"),
                "x-request-id", "client-id-42");

        assertThat(response.statusCode()).isEqualTo(200);
        HttpHeaders headers = response.headers();
        assertThat(headers.firstValue("x-litellm-request-prioritization-used")).contains("true");
        assertThat(headers.firstValue("x-litellm-priority")).contains("4");
        assertThat(headers.firstValue("x-litellm-model-id")).contains("dep-a");
        assertThat(headers.firstValue("x-triage-queue-wait-ms")).hasValueSatisfying(
                wait -> assertThat(Long.parseLong(wait)).isBetween(0L, 5_000L));
        assertThat(headers.allValues("x-request-id")).containsExactly("client-id-42");
        assertThat(headers.firstValue("content-type")).contains("application/json");
    }

    @Test
    void withoutARequestIdEachCallGetsItsOwnGeneratedOne() {
        String first = rig.node().post("/chat/completions", chat("m", "hi")).headers().firstValue("x-request-id")
                .orElseThrow();
        String second = rig.node().post("/chat/completions", chat("m", "hi")).headers().firstValue("x-request-id")
                .orElseThrow();

        assertThat(first).matches(UUID);
        assertThat(second).matches(UUID).isNotEqualTo(first);
    }

    @Test
    void anUnsafeRequestIdIsReplacedByAGeneratedOne() {
        for (String unsafe : new String[] {"has space", "x".repeat(129), "tab\there", "\u00fcn\u00efc\u00f6d\u00e9",
                "line\u00a0break", "in\tside"}) {
            RawHttp.Response response = RawHttp.exchange(rig.node().port(), "POST", "/v1/chat/completions",
                    List.<String[]>of(new String[] {"content-type", "application/json"},
                            new String[] {"x-request-id", unsafe}),
                    chat("m", "hi").getBytes(StandardCharsets.UTF_8));

            assertThat(response.status()).as(unsafe).isEqualTo(200);
            assertThat(response.header("x-request-id")).as(unsafe).matches(UUID);
        }
    }

    @Test
    void theQueueWaitHeaderShowsHowLongTheCallWaitedForItsSlot() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        rig.stub().respond(call -> call.index() == 0 ? Reply.ok().until(release) : Reply.ok());
        CompletableFuture<HttpResponse<String>> holder =
                rig.node().postAsync("/v1/chat/completions", chat("m", "holder"));
        rig.stub().awaitCall(0);
        CompletableFuture<HttpResponse<String>> waiter =
                rig.node().postAsync("/v1/chat/completions", chat("m", "waiter"));
        rig.node().awaitWaiting("m", 1);
        rig.node().vertx().setTimer(300, id -> release.complete(null)); // the waiter waits 300 ms at least

        HttpResponse<String> waited = waiter.join();

        assertThat(holder.join().statusCode()).isEqualTo(200);
        assertThat(waited.statusCode()).isEqualTo(200);
        long header = Long.parseLong(waited.headers().firstValue("x-triage-queue-wait-ms").orElseThrow());
        assertThat(header).isBetween(290L, 10_000L);
        assertThat(Long.parseLong(holder.join().headers().firstValue("x-triage-queue-wait-ms").orElseThrow()))
                .isLessThan(header);
    }

    @Test
    void aStreamedCallCarriesTheSameHeaders() {
        HttpResponse<String> response = rig.node().post("/v1/chat/completions",
                chat("m", "hi", "\"stream\":true,\"priority\":-3"), "x-request-id", "stream-id");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("x-litellm-request-prioritization-used")).contains("true");
        assertThat(response.headers().firstValue("x-litellm-priority")).contains("-3");
        assertThat(response.headers().firstValue("x-litellm-model-id")).contains("dep-a");
        assertThat(response.headers().firstValue("x-triage-queue-wait-ms")).isPresent();
        assertThat(response.headers().allValues("x-request-id")).containsExactly("stream-id");
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void errorAnswersCarryTheRequestIdToo() {
        HttpResponse<String> unknownModel =
                rig.node().post("/v1/chat/completions", chat("nope", "hi"), "x-request-id", "e-1");
        HttpResponse<String> badJson = rig.node().post("/v1/chat/completions", "{", "x-request-id", "e-2");

        assertThat(unknownModel.statusCode()).isEqualTo(404);
        assertThat(unknownModel.headers().allValues("x-request-id")).containsExactly("e-1");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.headers().allValues("x-request-id")).containsExactly("e-2");
    }
}
