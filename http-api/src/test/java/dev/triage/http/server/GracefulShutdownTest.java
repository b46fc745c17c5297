package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.http.Drain;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.StubUpstream;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.triage.http.fixture.TestNode.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code Router.shutdown(grace)}: waiting calls get 503 at once, admitted ones finish, then the node is not ready. */
class GracefulShutdownTest {

    @RegisterExtension
    final NodeRig rig = NodeRig.withStub().config("""
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

    @Test
    void waitingCallsGet503AtOnceAdmittedCallsFinishThenTheNodeIsNotReady() throws Exception {
        rig.stub().respond(call -> Reply.ok().until(rig.release()));
        CompletableFuture<HttpResponse<String>> admitted =
                rig.node().postAsync("/v1/chat/completions", chat("m", "admitted"));
        rig.stub().awaitCall(0);
        CompletableFuture<HttpResponse<String>> waiting =
                rig.node().postAsync("/v1/chat/completions", chat("m", "waiting"));
        rig.node().awaitWaiting("m", 1);

        CompletableFuture<Drain> stopped = rig.node().router().shutdown(Duration.ofSeconds(10)).toCompletionStage()
                .toCompletableFuture();

        HttpResponse<String> refused = waiting.get(1, TimeUnit.SECONDS);
        JsonNode error = Envelope.assertError(refused, 503, "scheduler_unavailable", null);
        assertThat(error.get("type").asText()).isEqualTo("service_unavailable");
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        assertThat(admitted).isNotDone();
        assertThat(stopped).as("the shutdown waits for the admitted call").isNotDone();
        HttpResponse<String> draining = rig.node().get("/health/readiness");
        assertThat(draining.statusCode()).isEqualTo(503);
        assertThat(TestNode.json(draining.body()).path("draining").asBoolean()).isTrue();
        Envelope.assertError(rig.node().post("/v1/chat/completions", chat("m", "newcomer")), 503,
                "scheduler_unavailable", null);

        rig.release().complete(null);

        HttpResponse<String> finished = admitted.get(5, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(finished.body()).at("/choices/0/message/content").asText()).isEqualTo("answer from a");
        assertThat(stopped.get(5, TimeUnit.SECONDS)).satisfies(drain -> {
            assertThat(drain.refusedWaiting()).isEqualTo(1);
            assertThat(drain.admitted()).isEqualTo(1);
            assertThat(drain.cutOff()).isZero();
        });
        HttpResponse<String> readiness = rig.node().get("/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(TestNode.json(readiness.body()).path("status").asText()).isEqualTo("unavailable");
        assertThat(rig.node().snapshot("m").waiting()).isEmpty();
        assertThat(rig.node().snapshot("m").inFlight()).isZero();
        assertThat(rig.stub().calls()).extracting(StubUpstream.Call::tag).containsExactly("admitted");
    }

    @Test
    void theGraceBoundsHowLongAnAdmittedCallMayHoldTheShutdown() throws Exception {
        rig.stub().respond(call -> Reply.ok().until(rig.release()));
        CompletableFuture<HttpResponse<String>> admitted =
                rig.node().postAsync("/v1/chat/completions", chat("m", "admitted"));
        rig.stub().awaitCall(0);
        long start = System.nanoTime();

        Drain drain = rig.node().router().shutdown(Duration.ofMillis(300)).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(290L, 5_000L);
        assertThat(drain.admitted()).isEqualTo(1);
        assertThat(drain.refusedWaiting()).isZero();
        assertThat(drain.cutOff()).isEqualTo(1);
        assertThat(drain.took()).isBetween(Duration.ofMillis(290), Duration.ofSeconds(5));
        JsonNode error = Envelope.assertError(admitted.get(5, TimeUnit.SECONDS), 503, "scheduler_unavailable", null);
        assertThat(error.get("message").asText()).contains("stopped before the upstream answered");
        assertThat(rig.node().snapshot("m").inFlight()).as("leaving the queues frees the lease").isZero();
    }
}
