package dev.triage.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.core.StoreHealth;
import dev.triage.http.fixture.Envelope;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.StubUpstream;
import dev.triage.http.fixture.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
    private StubUpstream stub;
    private TestNode node;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
        node = TestNode.startWithStoreHealth("""
                model_list:
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: %s
                    model_info:
                      id: dep-a
                litellm_settings:
                  num_retries: 0
                """.formatted(stub.apiBase("a")), this::health);
    }

    private StoreHealth health() {
        return storeHealthy.get() ? StoreHealth.HEALTHY : StoreHealth.unhealthy(PROBLEM);
    }

    @AfterEach
    void stop() {
        node.close();
        stub.close();
    }

    private void assertServesAndIsReady() {
        int before = stub.calls().size();
        ROUTES.forEach((route, body) -> assertThat(node.post(route, body).statusCode()).as(route).isEqualTo(200));
        assertThat(stub.calls()).hasSize(before + ROUTES.size());
        HttpResponse<String> readiness = node.get("/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(TestNode.json(readiness.body()).path("status").asText()).isEqualTo("ready");
    }

    @Test
    void anUnreachableStoreMeans503AndNotReadyUntilItIsReachableAgain() {
        assertServesAndIsReady();
        int servedBefore = stub.calls().size();

        storeHealthy.set(false);

        ROUTES.forEach((route, body) -> {
            HttpResponse<String> response = node.post(route, body);
            JsonNode error = Envelope.assertError(response, 503, "scheduler_unavailable", null);
            assertThat(error.get("type").asText()).as(route).isEqualTo("service_unavailable");
            assertThat(response.headers().firstValue("retry-after")).as(route).isPresent();
            assertThat(error.get("message").asText()).as(route)
                    .isEqualTo("this node cannot admit: " + PROBLEM + "; retry on another node");
        });
        HttpResponse<String> readiness = node.get("/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(TestNode.json(readiness.body()).path("status").asText()).isEqualTo("unavailable");
        assertThat(TestNode.json(readiness.body()).path("draining").asBoolean()).isFalse();
        assertThat(TestNode.json(readiness.body()).path("reason").asText()).isEqualTo(PROBLEM);
        assertThat(stub.calls()).as("calls that reached the upstream while the store was unreachable")
                .hasSize(servedBefore);
        assertThat(node.snapshot("m").waiting()).isEmpty();
        assertThat(node.router().activeCalls()).isZero();

        storeHealthy.set(true);

        assertServesAndIsReady();
        node.awaitIdle("m");
    }

    @Test
    void aGrantArrivingWhileTheStoreIsUnreachableIsReturnedUnusedAndTheCallAnswered503() {
        node.close();
        node = TestNode.startWithStoreHealth("""
                model_list:
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: %s
                      max_parallel_requests: 1
                litellm_settings:
                  num_retries: 0
                """.formatted(stub.apiBase("a")), this::health);
        CompletableFuture<Void> releaseHolder = new CompletableFuture<>();
        stub.respond(call -> call.index() == 0 ? Reply.ok().until(releaseHolder) : Reply.ok());
        CompletableFuture<HttpResponse<String>> holder = node.postAsync("/v1/chat/completions", chat("m", "holder"));
        stub.awaitCall(0);
        CompletableFuture<HttpResponse<String>> waiting = node.postAsync("/v1/chat/completions", chat("m", "waiting"));
        node.awaitWaiting("m", 1);

        // The grant may be one the cluster took back while this node was cut off: it must not reach the upstream.
        storeHealthy.set(false);
        releaseHolder.complete(null);

        assertThat(holder.join().statusCode()).isEqualTo(200);
        JsonNode error = Envelope.assertError(waiting.join(), 503, "scheduler_unavailable", null);
        assertThat(error.get("message").asText()).contains(PROBLEM);
        assertThat(stub.calls()).hasSize(1);
        node.awaitIdle("m");
    }
}
