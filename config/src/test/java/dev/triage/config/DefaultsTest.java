package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultsTest {
    private static final String MINIMAL = """
            model_list:
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: gpt-3.5-turbo
            """;

    private final TriageConfig config = ConfigLoader.parse(MINIMAL, "config.yaml", Map.of());

    @Test
    void usesLiteLlmDefaultsForRouterSettingsLeftOut() {
        RouterSettings router = config.router();

        assertThat(router.routingStrategy()).isEqualTo(RoutingStrategyName.SIMPLE_SHUFFLE);
        assertThat(router.timeout()).isEmpty();
        assertThat(router.pollingInterval()).isEqualTo(Duration.ofMillis(30));
        assertThat(router.redisHost()).isEmpty();
        assertThat(router.redisPort()).isEmpty();
        assertThat(router.redisPassword()).isEmpty();
        assertThat(router.redisUsername()).isEmpty();
        assertThat(router.redisUrl()).isEmpty();
        assertThat(router.allowedFails()).isEqualTo(3);
        assertThat(router.cooldownTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(router.defaultPriority()).isZero();
        assertThat(router.maxQueueSize()).isEqualTo(100_000);
        assertThat(router.queueTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(router.backend()).isEqualTo(Backend.EMBEDDED);
        assertThat(config.backend()).isEqualTo(Backend.EMBEDDED);
        assertThat(config.redis()).isEmpty();
    }

    @Test
    void usesDefaultsForLitellmGeneralAndClusterSettingsLeftOut() {
        assertThat(config.litellm().requestTimeout()).isEmpty();
        assertThat(config.litellm().numRetries()).isEqualTo(2);
        assertThat(config.litellm().requireAuthForMetrics()).isFalse();
        assertThat(config.general().masterKey()).isEmpty();
        assertThat(config.general().cancelOnDisconnect()).isTrue();
        assertThat(config.general().maxRequestBodyBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(config.general().maxWaitingBodyBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(config.general().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.cluster()).isEqualTo(ClusterSettings.defaults());
        assertThat(config.cluster().name()).isEqualTo("triage");
        assertThat(config.cluster().port()).isEqualTo(5701);
        assertThat(config.cluster().leaseBound()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.cluster().bindAddress()).as("the member port has no authentication").isEqualTo("127.0.0.1");
    }

    @Test
    void aMemberBindsLoopbackUnlessAListedMemberIsElsewhereOrKubernetesFindsThem() {
        ClusterSettings local = ClusterSettings.defaults();
        ClusterSettings listedLocal = new ClusterSettings("t", 5701, java.util.List.of("127.0.0.1:5701", "localhost:5702"),
                java.util.Optional.empty(), Duration.ofSeconds(15), java.util.OptionalInt.empty());
        ClusterSettings listedElsewhere = new ClusterSettings("t", 5701, java.util.List.of("10.0.0.1:5701"),
                java.util.Optional.empty(), Duration.ofSeconds(15), java.util.OptionalInt.empty());
        ClusterSettings kubernetes = new ClusterSettings("t", 5701, java.util.List.of(),
                java.util.Optional.of(new KubernetesDiscovery("svc", java.util.OptionalInt.empty())),
                Duration.ofSeconds(15), java.util.OptionalInt.empty());

        assertThat(local.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(listedLocal.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(listedElsewhere.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(kubernetes.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(listedElsewhere.withHost("10.0.0.2").bindAddress()).isEqualTo("10.0.0.2");
    }

    @Test
    void takesTheQueueTimeoutFromTheRequestTimeoutWhenTheRouterHasNone() {
        TriageConfig withRequestTimeout =
                ConfigLoader.parse(MINIMAL + "litellm_settings:\n  request_timeout: 42\n", "config.yaml", Map.of());

        assertThat(withRequestTimeout.router().queueTimeout()).isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void readsEmptySectionsAsDefaults() {
        TriageConfig empty = ConfigLoader.parse(
                MINIMAL + "litellm_settings:\nrouter_settings: {}\ngeneral_settings:\ncluster:\nredis:\n",
                "config.yaml",
                Map.of());

        assertThat(empty.router()).isEqualTo(config.router());
        assertThat(empty.cluster()).isEqualTo(ClusterSettings.defaults());
        assertThat(empty.redis()).isEmpty();
        assertThat(empty.warnings()).isEmpty();
    }

    @Test
    void sendsOpenAiModelsWithoutAnApiBaseToOpenAiAsLiteLlmDoes() {
        TriageConfig openAi = ConfigLoader.parse("""
                model_list:
                  - {model_name: a, litellm_params: {model: gpt-4o}}
                  - {model_name: a, litellm_params: {model: openai/gpt-4o}}
                  - {model_name: a, litellm_params: {model: openai/gpt-4o, api_base: "http://proxy:8080/v1"}}
                  - {model_name: a, litellm_params: {model: hosted_vllm/llama-3, mock_response: hi}}
                """, "config.yaml", Map.of());

        assertThat(openAi.group("a").orElseThrow().deployments())
                .extracting(deployment -> deployment.apiBase().map(URI::toString).orElse("none"))
                .containsExactly(
                        "https://api.openai.com/v1", "https://api.openai.com/v1", "http://proxy:8080/v1", "none");
    }

    @Test
    void readsTheBodyLimitsInMegabytesOf1024Times1024Bytes() {
        TriageConfig sized = ConfigLoader.parse(
                MINIMAL + "general_settings:\n  max_request_size_mb: 0.5\n  max_waiting_body_mb: 2\n",
                "config.yaml",
                Map.of());

        assertThat(sized.general().maxRequestBodyBytes()).isEqualTo(512 * 1024);
        assertThat(sized.general().maxWaitingBodyBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(sized.warnings()).isEmpty();
    }

    @Test
    void runsTheRedisBackendWhenRedisIsAskedForWithoutAWarning() {
        TriageConfig withHost = ConfigLoader.parse(
                MINIMAL + "router_settings:\n  redis_host: redis.internal\n", "config.yaml", Map.of());

        assertThat(withHost.backend()).isEqualTo(Backend.REDIS);
        assertThat(withHost.router().backend()).isEqualTo(Backend.REDIS);
        assertThat(withHost.redis()).contains(new RedisSettings(List.of(URI.create("redis://redis.internal:6379")),
                false, Optional.empty(), Optional.empty(), RedisSettings.DEFAULT_KEY_PREFIX));
        assertThat(withHost.warnings()).isEmpty();
        assertThat(config.backend()).isEqualTo(Backend.EMBEDDED);
    }

    @Test
    void usesRedisWhenOnlyARedisUrlIsGiven() {
        TriageConfig withUrl = ConfigLoader.parse(
                MINIMAL + "router_settings:\n  redis_url: redis://localhost:6379\n", "config.yaml", Map.of());

        assertThat(withUrl.router().backend()).isEqualTo(Backend.REDIS);
        assertThat(withUrl.backend()).isEqualTo(Backend.REDIS);
    }

    @Test
    void usesRedisWhenOnlyClusterNodesAreGiven() {
        TriageConfig withSeeds = ConfigLoader.parse(
                MINIMAL + "redis:\n  cluster_nodes: [redis-0:7000]\n", "config.yaml", Map.of());

        assertThat(withSeeds.backend()).isEqualTo(Backend.REDIS);
        assertThat(withSeeds.redis().orElseThrow().cluster()).isTrue();
    }

    @Test
    void acceptsEveryImplementedRoutingStrategyByItsLiteLlmName() {
        for (RoutingStrategyName strategy : RoutingStrategyName.values()) {
            TriageConfig withStrategy = ConfigLoader.parse(
                    MINIMAL + "router_settings:\n  routing_strategy: " + strategy.configName() + "\n",
                    "config.yaml",
                    Map.of());
            assertThat(withStrategy.router().routingStrategy()).isEqualTo(strategy);
        }
    }
}
