package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.RawHttp;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.StubUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two clocks of a call: the upstream's own bound (the deployment's {@code timeout}: 504) and the queue's
 * ({@code router_settings.timeout}: 429 {@code queue_timeout} with Retry-After); and the queue's size bound
 * ({@code max_queue_size}: 429 {@code queue_full}).
 */
class TimeoutsAndQueueLimitsTest {

    @RegisterExtension
    final NodeRig rig = NodeRig.withStub();

    @AfterEach
    void idle() {
        rig.release().complete(null);
        rig.node().awaitIdle("m");
    }

    private void startNode(String deploymentParams, String settings) {
        rig.start("""
                model_list:
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: ${stub.a}
                %s
                    model_info:
                      id: dep-a
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: ${stub.b}
                      order: 2
                    model_info:
                      id: dep-b
                """.formatted(deploymentParams.indent(6).stripTrailing()) + settings);
    }

    /** dep-a alone serves (dep-b has a higher order and is used only on retry or while dep-a is full). */
    private void startSlowA(int numRetries) {
        startNode("order: 1\ntimeout: 0.3", "litellm_settings:\n  num_retries: " + numRetries + "\n");
        rig.stub().respond(call -> call.base().equals("a") ? Reply.ok().until(rig.release()) : Reply.ok());
    }

    @Test
    void anUpstreamSlowerThanTheDeploymentTimeoutIsA504() {
        startSlowA(0);
        long start = System.nanoTime();

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi"));

        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        JsonNode error = Envelope.assertError(response, 504, "upstream_timeout", null);
        assertThat(error.get("type").asText()).isEqualTo("timeout_error");
        assertThat(tookMillis).isBetween(290L, 5_000L);
        assertThat(rig.stub().bases()).containsExactly("a");
        rig.node().awaitIdle("m");
    }

    @Test
    void anUpstreamRequestThatTimedOutIsCancelled() {
        // The timeout fires before any response head: the request itself must be reset, or it stays open on the
        // upstream after its slot was released.
        startSlowA(0);

        assertThat(rig.node().post("/v1/chat/completions", chat("m", "hi")).statusCode()).isEqualTo(504);

        StubUpstream.Call timedOut = rig.stub().calls().get(0);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .alias("the timed-out upstream request is cancelled").until(() -> timedOut.closedEarly().isDone());
    }

    @Test
    void withoutADeploymentTimeoutTheUpstreamCallIsBoundedByTheRequestTimeout() {
        // The queue's own bound is set apart (router_settings.timeout), so only the upstream clock can end the call.
        startNode("order: 1", "litellm_settings:\n  num_retries: 0\n  request_timeout: 0.3\n"
                + "router_settings:\n  timeout: 30\n");
        rig.stub().respond(call -> call.base().equals("a") ? Reply.ok().until(rig.release()) : Reply.ok());

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi"));

        Envelope.assertError(response, 504, "upstream_timeout", null);
        assertThat(response.headers().firstValue("x-litellm-model-id")).contains("dep-a");
        assertThat(rig.stub().bases()).containsExactly("a");
    }

    @Test
    void anUpstreamTimeoutIsRetriedOnTheOtherDeployment() {
        startSlowA(1);

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-litellm-model-id")).contains("dep-b");
        assertThat(rig.stub().bases()).containsExactly("a", "b");
    }

    @Test
    void aStreamThatGoesSilentForLongerThanTheTimeoutIsEndedAndItsSlotFreed() {
        startNode("order: 1\ntimeout: 0.3", "litellm_settings:\n  num_retries: 0\n");
        rig.stub().respondAlways(Reply.ok().chunks(3).holdAfter(1, rig.release()));

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "hi", "\"stream\":true"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("w0").doesNotContain("w1");
        rig.node().awaitIdle("m");
        await().atMost(Duration.ofSeconds(2)).until(() -> rig.stub().calls().get(0).closedEarly().isDone());
    }

    @Test
    void aStreamThatKeepsSendingLongerThanTheTimeoutKeepsItsSlotAndEndsWithDone() {
        // The deployment's timeout bounds the silence between two chunks, not the whole stream: 10 chunks 100 ms
        // apart take twice the timeout.
        startNode("order: 1\ntimeout: 0.5", "litellm_settings:\n  num_retries: 0\n");
        rig.stub().respondAlways(Reply.ok().chunks(10).gap(100));
        try (RawHttp client = RawHttp.connect(rig.node().port())) {
            client.send("POST", "/v1/chat/completions",
                    chat("m", "hi", "\"stream\":true").getBytes(StandardCharsets.UTF_8),
                    "content-type", "application/json");
            assertThat(client.readHead().status()).isEqualTo(200);

            String early = client.readChunksUntil("w7"); // sent 700 ms into the stream, past the 500 ms timeout

            assertThat(rig.node().snapshot("m").leases()).as("the stream's lease, still held").hasSize(1);
            String all = early + client.readChunksUntil("[DONE]");
            assertThat(all).contains("w9").doesNotContain("\"error\"").endsWith("data: [DONE]\n\n");
            assertThat(client.readChunk()).as("the stream ends after [DONE]").isNull();
        }
        assertThat(rig.stub().calls()).hasSize(1);
        assertThat(rig.stub().calls().get(0).closedEarly()).isNotDone();
        rig.node().awaitIdle("m");
    }

    /** One deployment with one slot: the first call (held by the stub) takes it, the next ones wait. */
    private void startSingleSlot(String routerSettings) {
        rig.start("""
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
                router_settings:
                """ + routerSettings.indent(2));
        rig.stub().respond(call -> call.index() == 0 ? Reply.ok().until(rig.release()) : Reply.ok());
    }

    @Test
    void aCallNotAdmittedWithinTheRouterTimeoutIsA429QueueTimeoutWithRetryAfter() {
        startSingleSlot("timeout: 0.5");
        CompletableFuture<HttpResponse<String>> holder =
                rig.node().postAsync("/v1/chat/completions", chat("m", "holder"));
        rig.stub().awaitCall(0);
        long start = System.nanoTime();

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "waiter", "\"priority\":-5"));

        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        JsonNode error = Envelope.assertError(response, 429, "queue_timeout", null);
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(response.headers().firstValue("retry-after")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(response.headers().firstValue("x-litellm-priority")).contains("-5");
        assertThat(waitedMillis).isBetween(450L, 5_000L);
        assertThat(rig.node().snapshot("m").waiting()).isEmpty();
        assertThat(rig.stub().calls()).hasSize(1);
        rig.release().complete(null);
        assertThat(holder.join().statusCode()).isEqualTo(200);
    }

    @Test
    void aQueueTimeoutOfAnRpmBoundGroupSaysToRetryWhenTheNextRpmWindowBegins() throws Exception {
        // Not across a minute's end, where the window would roll under the test.
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 55_000) Thread.sleep(60_500 - intoMinute);
        rig.start("""
                model_list:
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: ${stub.a}
                      rpm: 1
                litellm_settings:
                  num_retries: 0
                router_settings:
                  timeout: 0.5
                """);
        rig.stub().respond(call -> Reply.ok());
        assertThat(rig.node().post("/v1/chat/completions", chat("m", "first")).statusCode()).isEqualTo(200);

        HttpResponse<String> response = rig.node().post("/v1/chat/completions", chat("m", "second"));

        long toNextWindow = 60_000 - System.currentTimeMillis() % 60_000;
        Envelope.assertError(response, 429, "queue_timeout", null);
        long retryAfter = Long.parseLong(response.headers().firstValue("retry-after").orElseThrow());
        assertThat(retryAfter).as("seconds to the next rpm window, %d ms away", toNextWindow)
                .isBetween(toNextWindow / 1000, toNextWindow / 1000 + 2);
    }

    @Test
    void aFullQueueRefusesANewcomerOfEqualPriorityWith429QueueFull() {
        startSingleSlot("max_queue_size: 1");
        CompletableFuture<HttpResponse<String>> holder =
                rig.node().postAsync("/v1/chat/completions", chat("m", "holder"));
        rig.stub().awaitCall(0);
        CompletableFuture<HttpResponse<String>> queued =
                rig.node().postAsync("/v1/chat/completions", chat("m", "queued"));
        rig.node().awaitWaiting("m", 1);

        HttpResponse<String> third = rig.node().post("/v1/chat/completions", chat("m", "third"));

        JsonNode error = Envelope.assertError(third, 429, "queue_full", null);
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(third.headers().firstValue("retry-after")).isPresent();
        assertThat(queued).isNotDone();
        rig.release().complete(null);
        assertThat(holder.join().statusCode()).isEqualTo(200);
        assertThat(queued.join().statusCode()).isEqualTo(200);
        assertThat(rig.stub().calls()).extracting(StubUpstream.Call::tag).containsExactly("holder", "queued");
    }

    @Test
    void aNewcomerThatOutranksTheLastTicketOfAFullQueueShedsItWith429() {
        startSingleSlot("max_queue_size: 1");
        CompletableFuture<HttpResponse<String>> holder =
                rig.node().postAsync("/v1/chat/completions", chat("m", "holder"));
        rig.stub().awaitCall(0);
        CompletableFuture<HttpResponse<String>> low = rig.node().postAsync("/v1/chat/completions",
                chat("m", "low", "\"priority\":5"));
        rig.node().awaitWaiting("m", 1);

        CompletableFuture<HttpResponse<String>> high = rig.node().postAsync("/v1/chat/completions",
                chat("m", "high", "\"priority\":1"));

        Envelope.assertError(low.join(), 429, "queue_full", null);
        rig.release().complete(null);
        assertThat(holder.join().statusCode()).isEqualTo(200);
        assertThat(high.join().statusCode()).isEqualTo(200);
        assertThat(rig.stub().calls()).extracting(StubUpstream.Call::tag).containsExactly("holder", "high");
    }
}
