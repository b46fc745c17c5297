package dev.triage.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.config.ClusterSettings;
import dev.triage.config.KubernetesDiscovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {
    private static final ClusterSettings FROM_CONFIG = new ClusterSettings(
            "from-config", 5801, List.of("a:5801", "b:5801"), Optional.empty(), Duration.ofSeconds(20),
            OptionalInt.of(2));

    @Test
    void httpListensOnLiteLlmsPortOnLoopbackByDefault() {
        NodeOptions options = NodeOptions.of(Path.of("c.yaml"));

        assertThat(options.httpPort()).isEqualTo(4000);
        assertThat(options.httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void theClusterHostOverridesTheConfigsHost() {
        NodeOptions options = new NodeOptions(Path.of("c.yaml"), OptionalInt.empty(), Optional.empty(),
                OptionalInt.empty(), List.of(), Optional.empty(), Optional.of("10.0.0.9"));

        assertThat(options.effectiveCluster(FROM_CONFIG.withHost("10.0.0.1")).bindAddress()).isEqualTo("10.0.0.9");
        assertThat(NodeOptions.of(Path.of("c.yaml")).effectiveCluster(FROM_CONFIG.withHost("10.0.0.1")).bindAddress())
                .isEqualTo("10.0.0.1");
    }

    @Test
    void httpPortAndHostComeFromTheCommandLineWhenGiven() {
        NodeOptions options = new NodeOptions(Path.of("c.yaml"), OptionalInt.of(8080), Optional.of("127.0.0.1"),
                OptionalInt.empty(), List.of(), Optional.empty(), Optional.empty());

        assertThat(options.httpPort()).isEqualTo(8080);
        assertThat(options.httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void withoutOverridesTheClusterIsTheConfigs() {
        assertThat(NodeOptions.of(Path.of("c.yaml")).effectiveCluster(FROM_CONFIG)).isEqualTo(FROM_CONFIG);
    }

    @Test
    void commandLineNamePortAndMembersOverrideTheConfigAndTheRestIsKept() {
        NodeOptions options = new NodeOptions(Path.of("c.yaml"), OptionalInt.empty(), Optional.empty(),
                OptionalInt.of(5901), List.of("c:5901"), Optional.of("blue"), Optional.empty());

        assertThat(options.effectiveCluster(FROM_CONFIG)).isEqualTo(new ClusterSettings(
                "blue", 5901, List.of("c:5901"), Optional.empty(), Duration.ofSeconds(20), OptionalInt.of(2)));
    }

    @Test
    void commandLineMembersReplaceKubernetesDiscoveryAsAClusterJoinsOneWay() {
        ClusterSettings kubernetes = new ClusterSettings("triage", 5701, List.of(),
                Optional.of(new KubernetesDiscovery("triage.default.svc", OptionalInt.empty())),
                ClusterSettings.DEFAULT_LEASE_BOUND, OptionalInt.empty());
        NodeOptions options = new NodeOptions(Path.of("c.yaml"), OptionalInt.empty(), Optional.empty(),
                OptionalInt.empty(), List.of("c:5701"), Optional.empty(), Optional.empty());

        ClusterSettings effective = options.effectiveCluster(kubernetes);

        assertThat(effective.members()).containsExactly("c:5701");
        assertThat(effective.kubernetes()).isEmpty();
    }

    @Test
    void kubernetesDiscoveryIsKeptWhenNoMembersAreGiven() {
        ClusterSettings kubernetes = new ClusterSettings("triage", 5701, List.of(),
                Optional.of(new KubernetesDiscovery("triage.default.svc", OptionalInt.empty())),
                ClusterSettings.DEFAULT_LEASE_BOUND, OptionalInt.empty());
        NodeOptions options = new NodeOptions(Path.of("c.yaml"), OptionalInt.empty(), Optional.empty(),
                OptionalInt.of(5702), List.of(), Optional.empty(), Optional.empty());

        assertThat(options.effectiveCluster(kubernetes).kubernetes()).isEqualTo(kubernetes.kubernetes());
    }
}
