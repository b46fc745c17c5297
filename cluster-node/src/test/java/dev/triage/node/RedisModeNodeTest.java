package dev.triage.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.config.ConfigLoader;
import dev.triage.node.cli.NodeOptions;
import dev.triage.node.cli.TriageCli;
import dev.triage.node.redis.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node started in Redis mode, as the README starts one: it serves calls through a real redis-server, starts no
 * Hazelcast member, and refuses, with one line and exit status 2, a server it cannot use.
 */
class RedisModeNodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config(String redisSettings) throws Exception {
        Path file = dir.resolve("config-" + UUID.randomUUID() + ".yaml");
        Files.writeString(file, """
                model_list:
                  - model_name: gpt-4o-mini
                    litellm_params:
                      model: openai/gpt-4o-mini
                      mock_response: "hello from Redis mode"
                      max_parallel_requests: 2
                router_settings:
                %s
                redis:
                  key_prefix: node-test-%s
                """.formatted(redisSettings.indent(2).stripTrailing(), UUID.randomUUID()));
        return file;
    }

    @Test
    void aNodeInRedisModeServesCallsAndStartsNoHazelcastMember() throws Exception {
        try (TestRedis redis = TestRedis.start()) {
            Path file = config("redis_url: " + redis.url());
            NodeOptions options = new NodeOptions(file, OptionalInt.of(0), Optional.empty(), OptionalInt.empty(),
                    List.of(), Optional.empty(), Optional.empty());
            try (TriageNode node = TriageNode.start(ConfigLoader.load(file, Map.of()), options)) {
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(node.url() + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"priority\":1,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(answer.statusCode()).isEqualTo(200);
                JsonNode body = JSON.readTree(answer.body());
                assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("hello from Redis mode");
                assertThat(node.bindings()).as("HTTP only: no cluster port").hasSize(1)
                        .allMatch(line -> line.startsWith("HTTP on "));
                assertThat(Thread.getAllStackTraces().keySet()).as("no Hazelcast thread")
                        .noneMatch(t -> t.getName().startsWith("hz."));
            }
        }
    }

    @Test
    void whileRedisIsDownCallsGet503AndTheNodeIsNotReadyThenServiceResumesByItself() throws Exception {
        try (TestRedis redis = TestRedis.startOwn()) {
            Path file = config("redis_url: " + redis.url());
            NodeOptions options = new NodeOptions(file, OptionalInt.of(0), Optional.empty(), OptionalInt.empty(),
                    List.of(), Optional.empty(), Optional.empty());
            try (TriageNode node = TriageNode.start(ConfigLoader.load(file, Map.of()), options)) {
                assertThat(chat(node).statusCode()).isEqualTo(200);

                redis.kill();
                long sent = System.nanoTime();
                HttpResponse<String> refused = chat(node);
                long answeredMillis = (System.nanoTime() - sent) / 1_000_000;
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(refused.body()).at("/error/type").asText()).isEqualTo("service_unavailable");
                assertThat(answeredMillis).as("refused at once, not after a wait").isLessThan(5_000);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(get(node, "/health/readiness").statusCode()).isEqualTo(503));

                redis.restart();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(get(node, "/health/readiness").statusCode()).isEqualTo(200);
                    assertThat(chat(node).statusCode()).isEqualTo(200);
                });
            }
        }
    }

    private static HttpResponse<String> chat(TriageNode node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(TriageNode node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aServerThatCannotBeReachedIsOneLineAndExitStatusTwo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Result result = run(config("redis_url: redis://127.0.0.1:" + closedPort));

        assertThat(result.status()).isEqualTo(TriageCli.EXIT_USAGE);
        assertThat(result.errorLines()).contains("error: Redis at redis://127.0.0.1:" + closedPort + ": cannot connect");
    }

    @Test
    void aWrongPasswordIsOneLineAndExitStatusTwo() throws Exception {
        try (TestRedis redis = TestRedis.startOwn("--requirepass", "right-password")) {
            Result result = run(config("redis_url: " + redis.url() + "\nredis_password: wrong-password"));

            assertThat(result.status()).isEqualTo(TriageCli.EXIT_USAGE);
            assertThat(result.errorLines()).contains("wrong user name or password");
        }
    }

    @Test
    void aServerThatMayEvictKeysIsRefusedWithHowToFixIt() throws Exception {
        try (TestRedis redis = TestRedis.startOwn("--maxmemory-policy", "allkeys-lru")) {
            Result result = run(config("redis_url: " + redis.url()));

            assertThat(result.status()).isEqualTo(TriageCli.EXIT_USAGE);
            assertThat(result.errorLines()).contains("maxmemory-policy allkeys-lru")
                    .contains("set maxmemory-policy noeviction");
        }
    }

    private record Result(int status, String errorLines) {
    }

    private static Result run(Path config) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new TriageCli().run(new String[] {"--config", config.toString(), "--port", Integer.toString(port)},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), TriageNode::start);
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(errors.lines().filter(line -> line.startsWith("error:")).count()).as("one error line: %s", errors)
                .isEqualTo(1);
        assertThat(errors).as("no stack trace").doesNotContain("\tat ");
        return new Result(status, errors);
    }
}
