package dev.triage.node;

import com.hazelcast.core.Hazelcast;
import dev.triage.config.ConfigLoader;
import dev.triage.config.DeploymentSettings;
import dev.triage.config.ModelGroupSettings;
import dev.triage.config.TriageConfig;
import dev.triage.node.cli.NodeOptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The assembled node, started as the command line starts it, on the example config. */
class TriageNodeTest {

    private static final Path EXAMPLE = Path.of("../examples/mock-config.yaml");

    private static NodeOptions onAFreePort() {
        // A cluster name and port of its own, so the test never joins a node someone runs on this machine.
        // Below Linux's ephemeral range (32768 and up), so no outgoing connection holds it.
        int clusterPort = 32_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(700);
        return new NodeOptions(EXAMPLE, OptionalInt.of(0), Optional.of("127.0.0.1"), OptionalInt.of(clusterPort),
                List.of("127.0.0.1:" + clusterPort), Optional.of("test-" + java.util.UUID.randomUUID()), Optional.empty());
    }

    @Test
    void theExampleConfigServesAChatCompletionOverHttp() throws Exception {
        try (TriageNode node = TriageNode.start(ConfigLoader.load(EXAMPLE, Map.of()), onAFreePort())) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(node.url() + "/v1/chat/completions"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                                            + "\"priority\":2}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-litellm-priority")).contains("2");
            assertThat(response.body()).contains("Hello from mock deployment");
        }
    }

    @Test
    void aNodeThatFailsToBuildItsRouterLeavesNoClusterMemberRunning() {
        TriageConfig valid = ConfigLoader.load(EXAMPLE, Map.of());
        // ConfigLoader refuses such a deployment; only a config built in code can still hold one.
        DeploymentSettings noApiBase = new DeploymentSettings("dep-a", "m", "hosted_vllm/llama-3", Optional.empty(),
                Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), 1, DeploymentSettings.UNORDERED, Map.of());
        TriageConfig unbuildable = new TriageConfig(valid.source(), List.of(new ModelGroupSettings("m",
                List.of(noApiBase))), valid.litellm(), valid.router(), valid.general(), valid.cluster(), List.of());
        NodeOptions options = onAFreePort();
        String clusterName = options.clusterName().orElseThrow();

        assertThatThrownBy(() -> TriageNode.start(unbuildable, options))
                .hasMessageContaining("dep-a has neither api_base nor mock_response");

        assertThat(Hazelcast.getAllHazelcastInstances())
                .as("members of cluster %s", clusterName)
                .noneMatch(member -> member.getConfig().getClusterName().equals(clusterName));
    }

    @Test
    void closingTwiceIsHarmlessAndReleasesThePort() throws Exception {
        TriageNode node = TriageNode.start(ConfigLoader.load(EXAMPLE, Map.of()), onAFreePort());
        String url = node.url();

        node.close();
        node.close();

        assertThat(node.router().isDraining()).isTrue();
        HttpClient client = HttpClient.newHttpClient();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.send(
                HttpRequest.newBuilder(URI.create(url + "/health/liveness")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
    }
}
