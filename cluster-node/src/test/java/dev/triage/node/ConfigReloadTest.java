package dev.triage.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.config.ConfigLoader;
import dev.triage.node.cli.NodeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A running node serves its edited config file without a restart, and refuses a bad one. */
class ConfigReloadTest {

    private static final String CONFIG = """
            model_list:
              - model_name: m
                litellm_params: {model: openai/m, mock_response: hi}
            general_settings:
              master_key: %s
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    private TriageNode start(Path file) {
        int clusterPort = 32_900 + ThreadLocalRandom.current().nextInt(60);
        return start(file, clusterPort, List.of("127.0.0.1:" + clusterPort), "reload-" + java.util.UUID.randomUUID());
    }

    private TriageNode start(Path file, int clusterPort, List<String> members, String clusterName) {
        NodeOptions options = new NodeOptions(file, OptionalInt.of(0), Optional.of("127.0.0.1"),
                OptionalInt.of(clusterPort), members, Optional.of(clusterName), Optional.empty());
        try {
            return TriageNode.start(ConfigLoader.load(file, Map.of()), options);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(TriageNode node, String method, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(path.startsWith("/v1/chat")
                                ? "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" : ""));
        if (key != null) request.header("authorization", "Bearer " + key);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> models(TriageNode node, String key) throws Exception {
        return JSON.readTree(send(node, "GET", "/v1/models", key).body()).path("data").findValuesAsText("id");
    }

    @Test
    void anEditedFileIsServedAndABadOneRefusedWhileTheOldConfigKeepsServing() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), CONFIG.formatted("sk-1"));
        try (TriageNode node = start(file)) {
            assertThat(send(node, "POST", "/config/reload", null).statusCode()).isEqualTo(401);
            HttpResponse<String> unchanged = send(node, "POST", "/config/reload", "sk-1");
            assertThat(unchanged.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(unchanged.body());
            assertThat(body.path("reloaded").asBoolean()).isTrue();
            assertThat(body.path("source").asText()).isEqualTo(file.toString());
            assertThat(body.path("changes").isArray()).isTrue();
            assertThat(body.path("changes")).isEmpty();

            Files.writeString(file, """
                    model_list:
                      - model_name: m
                        litellm_params: {model: openai/m, mock_response: hi}
                      - model_name: m2
                        litellm_params: {model: openai/m2, mock_response: hi}
                    general_settings:
                      master_key: sk-2
                    """);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> models(node, "sk-2").contains("m2"));
            assertThat(send(node, "GET", "/v1/models", "sk-1").statusCode()).as("the old key").isEqualTo(401);

            Files.writeString(file, CONFIG.formatted("sk-3").replace("mock_response: hi", "rpm: -5"));
            HttpResponse<String> refused = send(node, "POST", "/config/reload", "sk-2");

            assertThat(refused.statusCode()).isEqualTo(422);
            JsonNode error = JSON.readTree(refused.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_config");
            assertThat(error.path("message").asText())
                    .contains(file.toString(), "model_list[0].litellm_params.rpm", "the running config stays");
            assertThat(models(node, "sk-2")).containsExactly("m", "m2");
            assertThat(send(node, "POST", "/v1/chat/completions", "sk-2").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aNodeWithoutAMasterKeyRefusesAReloadOverHttp() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), """
                model_list:
                  - model_name: m
                    litellm_params: {model: openai/m, mock_response: hi}
                """);
        try (TriageNode node = start(file)) {
            HttpResponse<String> response = send(node, "POST", "/config/reload", null);

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("general_settings.master_key");
        }
    }

    @Test
    void aNodeWhoseFileIsOlderThanTheGroupsSaysSoInItsReadinessAndStaysReady() throws Exception {
        String one = """
                model_list:
                  - model_name: m
                    litellm_params: {model: openai/m, mock_response: hi, max_parallel_requests: 1}
                """;
        Path fileA = Files.writeString(Files.createDirectory(dir.resolve("a")).resolve("config.yaml"), one);
        Path fileB = Files.writeString(Files.createDirectory(dir.resolve("b")).resolve("config.yaml"), one);
        int port = 33_000 + ThreadLocalRandom.current().nextInt(100) * 2;
        List<String> members = List.of("127.0.0.1:" + port, "127.0.0.1:" + (port + 1));
        String cluster = "behind-" + java.util.UUID.randomUUID();
        try (TriageNode a = start(fileA, port, members, cluster); TriageNode b = start(fileB, port + 1, members, cluster)) {
            // Both ready: each admits only once it has seen the other (two listed members, a majority of two).
            await().atMost(Duration.ofSeconds(30)).until(() -> send(a, "GET", "/health/readiness", null).statusCode() == 200
                    && send(b, "GET", "/health/readiness", null).statusCode() == 200);
            String four = one.replace("max_parallel_requests: 1", "max_parallel_requests: 4");
            Files.writeString(fileA, four);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.router().config().groups().get(0).deployments().get(0)
                    .maxParallelRequests().orElse(0) == 4);
            assertThat(send(a, "POST", "/v1/chat/completions", null).statusCode()).isEqualTo(200);

            assertThat(send(b, "POST", "/v1/chat/completions", null).statusCode()).isEqualTo(200);

            JsonNode readiness = JSON.readTree(send(b, "GET", "/health/readiness", null).body());
            assertThat(readiness.path("status").asText()).isEqualTo("ready");
            assertThat(readiness.path("config_behind").toString()).isEqualTo("[\"m\"]");
            Files.writeString(fileB, four);
            await().atMost(Duration.ofSeconds(10)).until(() -> b.router().config().groups().get(0).deployments().get(0)
                    .maxParallelRequests().orElse(0) == 4);
            assertThat(send(b, "POST", "/v1/chat/completions", null).statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(send(b, "GET", "/health/readiness", null).body()).has("config_behind")).isFalse();
        }
    }
}
