package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.core.spi.StoreHealth;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.NodeRig;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.triage.http.fixture.TestNode.chat;
import static dev.triage.http.fixture.TestNode.completion;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the scheduler store is unreachable (or this node is on the minority side of a split), every completion
 * route answers 503 {@code scheduler_unavailable} at once, nothing is queued or sent upstream, and readiness
 * fails; once the store is back, the node serves and is ready again.
 */
class StoreHealthTest {

    /** Every completion route, with a body it accepts. */
    private static final Map<String, String> ROUTES = Map.of(
            "/chat/completions", chat("m", "chat"),
            "/v1/chat/completions", chat("m", "v1-chat"),
            "/queue/chat/completions", chat("m", "queue-chat"),
            "/completions", completion("m", "text", ""),
            "/v1/completions", completion("m", "v1-text", ""),
            "/queue/completions", completion("m", "queue-text", ""));

    private static final String PROBLEM = "1 of 3 members present, cluster.min_members is 2";
    private final AtomicBoolean storeHealthy = new AtomicBoolean(true);

    @RegisterExtension
    final NodeRig rig = NodeRig.withStub().storeHealth(this::health).config("""
            model_list:
              - model_name: m
                litellm_params:
                  model: openai/upstream-m
                  api_base: ${stub.a}
                model_info:
                  id: dep-a
            litellm_settings:
              num_retries: 0
            """);

    private StoreHealth health() {
        return storeHealthy.get() ? StoreHealth.HEALTHY : StoreHealth.unhealthy(PROBLEM);
    }

    private void assertServesAndIsReady() {
        int before = rig.stub().calls().size();
        ROUTES.forEach((route, body) -> assertThat(rig.node().post(route, body).statusCode()).as(route).isEqualTo(200));
        assertThat(rig.stub().calls()).hasSize(before + ROUTES.size());
        HttpResponse<String> readiness = rig.node().get("/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(readiness.body()).path("status").asText()).isEqualTo("ready");
    }

    @Test
    void anUnreachableStoreMeans503AndNotReadyUntilItIsReachableAgain() {
        assertServesAndIsReady();
        int servedBefore = rig.stub().calls().size();

        storeHealthy.set(false);

        ROUTES.forEach((route, body) -> {
            HttpResponse<String> response = rig.node().post(route, body);
            JsonNode error = Envelope.assertError(response, 503, "scheduler_unavailable", null);
            assertThat(error.get("type").asText()).as(route).isEqualTo("service_unavailable");
            assertThat(response.headers().firstValue("retry-after")).as(route).isPresent();
            assertThat(error.get("message").asText()).as(route)
                    .isEqualTo("this node cannot admit: " + PROBLEM + "; retry on another node");
        });
        HttpResponse<String> readiness = rig.node().get("/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(TestNode.json(readiness.body()).path("status").asText()).isEqualTo("unavailable");
        assertThat(TestNode.json(readiness.body()).path("draining").asBoolean()).isFalse();
        assertThat(TestNode.json(readiness.body()).path("reason").asText()).isEqualTo(PROBLEM);
        assertThat(rig.stub().calls()).as("calls that reached the upstream while the store was unreachable")
                .hasSize(servedBefore);
        assertThat(rig.node().snapshot("m").waiting()).isEmpty();
        assertThat(rig.node().router().activeCalls()).isZero();

        storeHealthy.set(true);

        assertServesAndIsReady();
        rig.node().awaitIdle("m");
    }

    @Test
    void aGrantArrivingWhileTheStoreIsUnreachableIsReturnedUnusedAndTheCallAnswered503() {
        rig.start("""
                model_list:
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: ${stub.a}
                      max_parallel_requests: 1
                litellm_settings:
                  num_retries: 0
                """);
        CompletableFuture<Void> releaseHolder = new CompletableFuture<>();
        rig.stub().respond(call -> call.index() == 0 ? Reply.ok().until(releaseHolder) : Reply.ok());
        CompletableFuture<HttpResponse<String>> holder =
                rig.node().postAsync("/v1/chat/completions", chat("m", "holder"));
        rig.stub().awaitCall(0);
        CompletableFuture<HttpResponse<String>> waiting =
                rig.node().postAsync("/v1/chat/completions", chat("m", "waiting"));
        rig.node().awaitWaiting("m", 1);

        // The grant may be one the cluster took back while this node was cut off: it must not reach the upstream.
        storeHealthy.set(false);
        releaseHolder.complete(null);

        assertThat(holder.join().statusCode()).isEqualTo(200);
        JsonNode error = Envelope.assertError(waiting.join(), 503, "scheduler_unavailable", null);
        assertThat(error.get("message").asText()).contains(PROBLEM);
        assertThat(rig.stub().calls()).hasSize(1);
        rig.node().awaitIdle("m");
    }
}
