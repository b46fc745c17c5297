package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.core.memory.InMemoryBackend;
import dev.triage.core.spi.StoreClock;
import dev.triage.http.fixture.Reply;
import dev.triage.http.fixture.StubUpstream;
import dev.triage.http.fixture.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The embeddable Java router: the same scheduling and forwarding as the HTTP routes, no server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouterTest {

    private StubUpstream stub;
    private Vertx vertx;
    private InMemoryBackend backend;
    private Router router;

    @BeforeAll
    void start() {
        stub = StubUpstream.start();
        TriageConfig config = ConfigLoader.parse("""
                model_list:
                  - model_name: mock
                    litellm_params:
                      model: openai/gpt-mock
                      mock_response: "Hello from the mock"
                  - model_name: m
                    litellm_params:
                      model: openai/upstream-m
                      api_base: %s
                    model_info:
                      id: dep-a
                litellm_settings:
                  num_retries: 0
                """.formatted(stub.apiBase("a")), "test.yaml", Map.of());
        vertx = Vertx.vertx();
        backend = new InMemoryBackend(SchedulerSettings.groupSpecs(config), StoreClock.system());
        router = new Router(vertx, config, backend, "router-test", HttpLimits.DEFAULTS);
    }

    @AfterAll
    void stop() throws Exception {
        router.close();
        backend.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        stub.close();
    }

    @AfterEach
    void idle() {
        // A lease is released just after its answer is written, so the last one may still be on its way.
        for (String group : new String[] {"mock", "m"}) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                var snapshot = backend.snapshot(group).toCompletableFuture().join();
                assertThat(snapshot.waiting()).isEmpty();
                assertThat(snapshot.inFlight()).isZero();
            });
        }
        stub.reset();
    }

    private static ObjectNode chat(String model) {
        return (ObjectNode) TestNode.json(TestNode.chat(model, "hi"));
    }

    private static <T> CompletableFuture<T> completion(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture();
    }

    @Test
    void aChatCompletionReturnsTheMockAnswer() {
        JsonNode answer = completion(router.chatCompletion(chat("mock"), 3)).orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("Hello from the mock");
        assertThat(answer.at("/usage/total_tokens").asLong()).isPositive();
    }

    @Test
    void aTextCompletionReturnsTheMockAnswer() {
        ObjectNode request = (ObjectNode) TestNode.json(TestNode.completion("mock", "hi", ""));

        JsonNode answer = completion(router.textCompletion(request, 0)).orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(answer.at("/choices/0/text").asText()).isEqualTo("Hello from the mock");
    }

    @Test
    void theCallersRequestIsLeftUntouchedAndAStreamFlagIsAnsweredWhole() {
        ObjectNode request = chat("mock");
        request.put("stream", true);
        request.put("priority", "not an integer: the argument wins");
        String before = request.toString();

        JsonNode answer = completion(router.chatCompletion(request, -2)).orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
        assertThat(request.toString()).isEqualTo(before);
    }

    @Test
    void anUpstreamCallGetsTheDeploymentsModelAndNoPriority() {
        JsonNode answer = completion(router.chatCompletion(chat("m"), 9)).orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("answer from a");
        assertThat(stub.calls()).singleElement().satisfies(call -> {
            assertThat(call.body().path("model").asText()).isEqualTo("upstream-m");
            assertThat(call.body().has("priority")).isFalse();
            assertThat(call.body().has("stream")).isFalse();
        });
    }

    @Test
    void anUnknownModelFailsWithA404ApiException() {
        assertThat(completion(router.chatCompletion(chat("no-such-model"), 0)))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("model_not_found");
                });
    }

    @Test
    void anInvalidRequestFailsWithA400ApiException() {
        ObjectNode noMessages = (ObjectNode) TestNode.json("{\"model\":\"mock\"}");

        assertThat(completion(router.chatCompletion(noMessages, 0)))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("messages");
                });
    }

    @Test
    void anUpstreamFailureFailsWithA502ApiException() {
        stub.respondAlways(Reply.status(500));

        assertThat(completion(router.chatCompletion(chat("m"), 0)))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(502));
    }
}
