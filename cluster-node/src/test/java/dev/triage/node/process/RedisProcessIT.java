package dev.triage.node.process;

import dev.triage.node.redis.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two packaged nodes in Redis mode, separate JVMs that share nothing but a real redis-server: one limit across
 * both, and a node frozen (SIGSTOP) past the lease bound loses its slots to the other, then serves again.
 */
class RedisProcessIT {

    private static final int PARALLEL = 2;
    private static final int LEASE_BOUND_SECONDS = 3;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private TestRedis redis;
    private SlowUpstream upstream;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void startNodes() throws Exception {
        redis = TestRedis.start();
        upstream = new SlowUpstream(200);
        Path config = Files.createTempFile("triage-redis-it", ".yaml");
        Files.writeString(config, """
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      api_base: %s
                      max_parallel_requests: %d
                      timeout: 10
                litellm_settings:
                  num_retries: 0
                router_settings:
                  timeout: 30
                  redis_url: %s
                cluster:
                  lease_bound: %d
                redis:
                  key_prefix: it-%s
                """.formatted(upstream.apiBase(), PARALLEL, redis.url(), LEASE_BOUND_SECONDS, UUID.randomUUID()));
        int base = 23_000 + ThreadLocalRandom.current().nextInt(300) * 10;
        for (int i = 0; i < 2; i++) {
            nodes.add(NodeProcess.redisMode(config, base + i,
                    NodeProcess.logDir().toPath().resolve("redis-" + base + "-node" + i + ".log")));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> nodes.stream().allMatch(NodeProcess::ready));
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(NodeProcess::close);
        upstream.close();
        redis.close();
    }

    @Test
    void twoNodesSharingOnlyRedisHoldOneLimitBetweenThem() throws Exception {
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) calls.add(send(i % 2));
        for (CompletableFuture<Integer> call : calls) assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo(200);

        System.out.println("redis mode, two JVMs: upstream peak " + upstream.peak() + " of " + PARALLEL
                + ", served " + upstream.served());
        assertThat(upstream.peak()).as("calls at once across both nodes").isEqualTo(PARALLEL);
        assertThat(nodes.get(0).log()).contains("backend: Redis at " + redis.url()).doesNotContain("cluster member on");
    }

    @Test
    void aNodeFrozenPastTheLeaseBoundLosesItsSlotsAndServesAgainWhenThawed() throws Exception {
        upstream.delay(3_000);
        List<CompletableFuture<Integer>> frozenCalls = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) frozenCalls.add(send(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.peak() == PARALLEL);
        nodes.get(1).freeze();
        upstream.delay(100);
        long frozen = System.nanoTime();

        // Its slots come back once it has been silent for the lease bound, and the other node's call gets one.
        assertThat(send(0).get(30, TimeUnit.SECONDS)).isEqualTo(200);
        long tookMillis = (System.nanoTime() - frozen) / 1_000_000;
        System.out.printf("redis mode, SIGSTOP: the frozen node's slots served the other node after %d ms"
                + " (lease bound %d s)%n", tookMillis, LEASE_BOUND_SECONDS);

        nodes.get(1).thaw();
        for (CompletableFuture<Integer> call : frozenCalls) {
            assertThat(call.get(60, TimeUnit.SECONDS)).as("a call the frozen node had upstream").isIn(200, 503, 504);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(send(1).get(30, TimeUnit.SECONDS)).isEqualTo(200));
    }

    private CompletableFuture<Integer> send(int node) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(nodes.get(node).url() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }
}
