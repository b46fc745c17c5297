package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.config.ConfigLoader;
import dev.triage.config.TriageConfig;
import dev.triage.core.SchedulerBackend;
import dev.triage.core.StoreClock;
import dev.triage.core.memory.InMemoryBackend;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The README's Java router example, LiteLLM's SDK quick start, run as written: one mock deployment at rpm 1 and
 * a 2 s queue timeout, so the first call is answered and a second in the same minute waits, then times out.
 */
class ReadmeExampleTest {

    @Test
    void theQuickStartAnswersOnceThenQueuesTheNextCallUntilItsTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            TriageConfig config = ConfigLoader.parse("""
                    model_list:
                      - model_name: gpt-3.5-turbo
                        litellm_params:
                          model: gpt-3.5-turbo
                          mock_response: Hello world this is Macintosh!   # fakes the LLM API call
                          rpm: 1
                    router_settings:
                      timeout: 2                        # a request waits at most 2 s for its slot
                      routing_strategy: simple-shuffle
                      polling_interval: 0.03
                    """, "quick-start.yaml", Map.of());
            SchedulerBackend backend = new InMemoryBackend(SchedulerSettings.groupSpecs(config), StoreClock.system());
            Router router = new Router(vertx, config, backend, "my-node", HttpLimits.from(config));

            ObjectNode request = new ObjectMapper().createObjectNode().put("model", "gpt-3.5-turbo");
            request.putArray("messages").addObject().put("role", "user").put("content", "Hey!");
            CompletableFuture<JsonNode> first = router.chatCompletion(request, 0).toCompletionStage().toCompletableFuture();
            JsonNode answer = first.get(10, TimeUnit.SECONDS);
            CompletableFuture<JsonNode> second = router.chatCompletion(request, 0).toCompletionStage().toCompletableFuture();

            assertThat(answer.path("choices").path(0).path("message").path("content").asText())
                    .isEqualTo("Hello world this is Macintosh!");
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(429);
                        assertThat(e.code()).isEqualTo("queue_timeout");
                    });
            router.close();
            backend.close();
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
